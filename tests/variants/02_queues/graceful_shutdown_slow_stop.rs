// expect-fail: shutdown_returns_soon_after_the_last_job
//
// Wrong variant of graceful_shutdown: the workers poll the queue with a one-second
// timeout and look at a stop flag between polls. No job is lost, but shutdown
// returns up to a second after the last job.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam::channel::{self, RecvTimeoutError, Sender};

pub struct Service {
    queue: Sender<u64>,
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<Vec<u64>>>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (queue, jobs) = channel::unbounded::<u64>();
        let stop = Arc::new(AtomicBool::new(false));
        let work = Arc::new(work);
        let workers = (0..workers)
            .map(|_| {
                let (jobs, work, stop) = (jobs.clone(), work.clone(), stop.clone());
                thread::spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        match jobs.recv_timeout(Duration::from_secs(1)) {
                            Ok(job) => done.push(work(job)),
                            Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => break,
                            Err(RecvTimeoutError::Timeout) => {}
                            Err(RecvTimeoutError::Disconnected) => break,
                        }
                    }
                    done
                })
            })
            .collect();
        Service { queue, stop, workers }
    }

    pub fn submit(&self, job: u64) {
        self.queue.send(job).unwrap();
    }

    pub fn shutdown(self) -> Vec<u64> {
        self.stop.store(true, Ordering::SeqCst);
        // The sender is kept until the workers are done, so only the flag stops them.
        let results = self.workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        drop(self.queue);
        results
    }
}

fn main() {}
