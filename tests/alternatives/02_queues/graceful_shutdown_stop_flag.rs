// Correct alternative for graceful_shutdown: a stop flag (`Arc<AtomicBool>`)
// and workers that wait for jobs with a short `recv_timeout`. A worker stops
// only when the flag is set *and* no job came for a moment; the flag is set
// after the last submit, so by then the queue is empty and no job is lost.
// Results go into an `Arc<Mutex<Vec<u64>>>`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam::channel::{self, RecvTimeoutError, Sender};

pub struct Service {
    queue: Sender<u64>,
    stop: Arc<AtomicBool>,
    results: Arc<Mutex<Vec<u64>>>,
    workers: Vec<JoinHandle<()>>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (queue, jobs) = channel::unbounded::<u64>();
        let stop = Arc::new(AtomicBool::new(false));
        let results = Arc::new(Mutex::new(Vec::new()));
        let work = Arc::new(work);
        let workers = (0..workers)
            .map(|_| {
                let (jobs, stop, results, work) =
                    (jobs.clone(), stop.clone(), results.clone(), work.clone());
                thread::spawn(move || loop {
                    match jobs.recv_timeout(Duration::from_millis(20)) {
                        Ok(job) => {
                            let value = work(job);
                            results.lock().unwrap().push(value);
                        }
                        Err(RecvTimeoutError::Timeout) => {
                            if stop.load(Ordering::SeqCst) {
                                break;
                            }
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                })
            })
            .collect();
        Service { queue, stop, results, workers }
    }

    pub fn submit(&self, job: u64) {
        self.queue.send(job).unwrap();
    }

    pub fn shutdown(self) -> Vec<u64> {
        // Every job is queued by now: the workers drain the queue, then see the flag.
        self.stop.store(true, Ordering::SeqCst);
        for worker in self.workers {
            worker.join().unwrap();
        }
        let results = std::mem::take(&mut *self.results.lock().unwrap());
        results
    }
}

fn main() {}
