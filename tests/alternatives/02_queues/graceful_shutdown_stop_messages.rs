// Correct alternative for graceful_shutdown: poison pills. `shutdown` sends one
// `Msg::Stop` per worker after the jobs already queued (the queue is FIFO, so
// every job comes first); each worker sends its results on an mpsc channel,
// which `shutdown` drains once every worker is joined.

use std::sync::mpsc;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam::channel::{self, Sender};

enum Msg {
    Job(u64),
    Stop,
}

pub struct Service {
    queue: Sender<Msg>,
    workers: Vec<JoinHandle<()>>,
    results: mpsc::Receiver<u64>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (queue, jobs) = channel::unbounded::<Msg>();
        let (results_tx, results) = mpsc::channel();
        let work = Arc::new(work);
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (jobs, results_tx, work) = (jobs.clone(), results_tx.clone(), Arc::clone(&work));
            handles.push(thread::spawn(move || loop {
                match jobs.recv() {
                    Ok(Msg::Job(job)) => results_tx.send(work(job)).unwrap(),
                    Ok(Msg::Stop) | Err(_) => break,
                }
            }));
        }
        Service { queue, workers: handles, results }
    }

    pub fn submit(&self, job: u64) {
        self.queue.send(Msg::Job(job)).unwrap();
    }

    pub fn shutdown(self) -> Vec<u64> {
        for _ in &self.workers {
            self.queue.send(Msg::Stop).unwrap();
        }
        for worker in self.workers {
            worker.join().unwrap();
        }
        self.results.try_iter().collect()
    }
}

fn main() {}
