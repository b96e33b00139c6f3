// expect-fail: every_submitted_job_runs_exactly_once
// expect-fail: idle_workers_wait_for_more_jobs
//
// Wrong variant of graceful_shutdown: shutdown raises a stop flag that the
// workers check before each job, so the jobs still queued are silently lost.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam::channel::{self, Sender};

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
                    for job in jobs.iter() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        done.push(work(job));
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
        drop(self.queue);
        self.workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    }
}

fn main() {}
