// expect-fail: idle_workers_wait_for_more_jobs
//
// Wrong variant of graceful_shutdown: a worker takes jobs with a 200 ms timeout
// and ends when none came, taking an empty queue for the end of the work. Jobs
// submitted after a pause are never run.

use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam::channel::{self, Sender};

pub struct Service {
    queue: Sender<u64>,
    workers: Vec<JoinHandle<Vec<u64>>>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (queue, jobs) = channel::unbounded::<u64>();
        let work = Arc::new(work);
        let workers = (0..workers)
            .map(|_| {
                let (jobs, work) = (jobs.clone(), work.clone());
                thread::spawn(move || {
                    let mut done = Vec::new();
                    while let Ok(job) = jobs.recv_timeout(Duration::from_millis(200)) {
                        done.push(work(job));
                    }
                    done
                })
            })
            .collect();
        Service { queue, workers }
    }

    pub fn submit(&self, job: u64) {
        let _ = self.queue.send(job);
    }

    pub fn shutdown(self) -> Vec<u64> {
        let Service { queue, workers } = self;
        drop(queue);
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    }
}

fn main() {}
