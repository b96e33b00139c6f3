// expect-fail: jobs_start_before_shutdown
//
// Wrong variant of graceful_shutdown: submit only stores the job; the workers are
// started by shutdown. Every result is right, but nothing runs in the background.

use std::sync::{Arc, Mutex};
use std::thread;

use crossbeam::channel;

pub struct Service {
    workers: usize,
    work: Arc<dyn Fn(u64) -> u64 + Send + Sync>,
    pending: Mutex<Vec<u64>>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        Service { workers, work: Arc::new(work), pending: Mutex::new(Vec::new()) }
    }

    pub fn submit(&self, job: u64) {
        self.pending.lock().unwrap().push(job);
    }

    pub fn shutdown(self) -> Vec<u64> {
        let (tx, rx) = channel::unbounded();
        for job in self.pending.into_inner().unwrap() {
            tx.send(job).unwrap();
        }
        drop(tx);
        let work = &self.work;
        thread::scope(|s| {
            let handles: Vec<_> = (0..self.workers)
                .map(|_| {
                    let rx = rx.clone();
                    s.spawn(move || rx.iter().map(|j| work(j)).collect::<Vec<_>>())
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        })
    }
}

fn main() {}
