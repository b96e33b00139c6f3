// Correct alternative for graceful_shutdown: a hand-made queue, a `VecDeque`
// and a `closed` flag under one `Mutex`, with a `Condvar` to wake idle workers.
// A worker ends only when the queue is closed *and* empty, so no job is lost;
// results are gathered into one shared Vec.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

#[derive(Default)]
struct Queue {
    jobs: VecDeque<u64>,
    closed: bool,
}

pub struct Service {
    shared: Arc<(Mutex<Queue>, Condvar)>,
    results: Arc<Mutex<Vec<u64>>>,
    workers: Vec<JoinHandle<()>>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let shared = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let results = Arc::new(Mutex::new(Vec::new()));
        let work = Arc::new(work);
        let workers = (0..workers)
            .map(|_| {
                let (shared, results, work) = (shared.clone(), results.clone(), work.clone());
                thread::spawn(move || loop {
                    let job = {
                        let (lock, ready) = &*shared;
                        let mut queue = lock.lock().unwrap();
                        loop {
                            if let Some(job) = queue.jobs.pop_front() {
                                break Some(job);
                            }
                            if queue.closed {
                                break None;
                            }
                            queue = ready.wait(queue).unwrap();
                        }
                    };
                    match job {
                        Some(job) => {
                            let value = work(job);
                            results.lock().unwrap().push(value);
                        }
                        None => return,
                    }
                })
            })
            .collect();
        Service { shared, results, workers }
    }

    pub fn submit(&self, job: u64) {
        let (lock, ready) = &*self.shared;
        lock.lock().unwrap().jobs.push_back(job);
        ready.notify_one();
    }

    pub fn shutdown(self) -> Vec<u64> {
        let (lock, ready) = &*self.shared;
        lock.lock().unwrap().closed = true;
        ready.notify_all();
        for worker in self.workers {
            worker.join().expect("a worker panicked");
        }
        std::mem::take(&mut *self.results.lock().unwrap())
    }
}

fn main() {}
