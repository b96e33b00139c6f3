// Correct alternative for graceful_shutdown: std's `mpsc` channel, whose single
// receiver the workers share behind a `Mutex` (the lock is held only to take a
// job, not while running it). `Option<Sender>` is taken and dropped in shutdown.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

pub struct Service {
    queue: Option<Sender<u64>>,
    workers: Vec<JoinHandle<Vec<u64>>>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (queue, jobs): (Sender<u64>, Receiver<u64>) = mpsc::channel();
        let jobs = Arc::new(Mutex::new(jobs));
        let work = Arc::new(work);
        let workers = (0..workers)
            .map(|_| {
                let (jobs, work) = (jobs.clone(), work.clone());
                thread::spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let next = jobs.lock().unwrap().recv();
                        match next {
                            Ok(job) => done.push(work(job)),
                            Err(_) => return done,
                        }
                    }
                })
            })
            .collect();
        Service { queue: Some(queue), workers }
    }

    pub fn submit(&self, job: u64) {
        if let Some(queue) = &self.queue {
            queue.send(job).expect("the workers outlive the service");
        }
    }

    pub fn shutdown(mut self) -> Vec<u64> {
        drop(self.queue.take());
        let mut results = Vec::new();
        for worker in self.workers.drain(..) {
            results.extend(worker.join().expect("a worker panicked"));
        }
        results
    }
}

fn main() {}
