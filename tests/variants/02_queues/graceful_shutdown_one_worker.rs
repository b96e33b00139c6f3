// expect-fail: jobs_run_on_all_workers_at_once
//
// Wrong variant of graceful_shutdown: whatever `workers` says, one thread does every job.
// Nothing is lost and shutdown is prompt; only the overlap of the trace shows the mistake.

// Graceful shutdown.
//
// Reference solution. The service owns the only sender of a crossbeam channel
// that every worker receives from. `shutdown` drops that sender: the workers'
// loops then run until the queue is empty and end by themselves, so every queued
// job is run exactly once and no worker waits a moment longer than needed.
// Joining the workers collects their results.

use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam::channel::{self, Sender};

pub struct Service {
    queue: Sender<u64>,
    workers: Vec<JoinHandle<Vec<u64>>>,
}

impl Service {
    /// Starts `workers` threads that run `work` on each submitted job.
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (queue, jobs) = channel::unbounded::<u64>();
        let work = std::sync::Arc::new(work);
        let _ = workers;
        let workers = (0..1)
            .map(|_| {
                let jobs = jobs.clone();
                let work = work.clone();
                thread::spawn(move || jobs.iter().map(|job| work(job)).collect())
            })
            .collect();
        Service { queue, workers }
    }

    /// Queues `job`; returns without waiting for it to run.
    pub fn submit(&self, job: u64) {
        // The workers hold the receiver until the service is shut down.
        self.queue.send(job).expect("the workers outlive the service");
    }

    /// Runs every job submitted so far, stops the workers and returns all the results.
    pub fn shutdown(self) -> Vec<u64> {
        let Service { queue, workers } = self;
        // Closing the queue: the workers finish what is queued, then their loops end.
        drop(queue);
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    }
}

fn main() {
    let started = Instant::now();
    let service = Service::start(3, |n| {
        thread::sleep(Duration::from_millis(200));
        n * n
    });
    for job in 1..=9 {
        service.submit(job);
    }
    println!("submitted 9 jobs after {:?}", started.elapsed());
    let mut results = service.shutdown();
    results.sort_unstable();
    println!("results {results:?} after {:?}", started.elapsed());
}
