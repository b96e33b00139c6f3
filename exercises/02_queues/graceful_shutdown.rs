// Graceful shutdown
//
// A service that runs jobs in the background must also know how to stop. A
// graceful shutdown stops taking new jobs, lets the workers finish every job
// already in the queue, then waits for the workers to end. Two classic mistakes:
// stopping the workers right away, which silently loses the jobs still queued,
// and never telling the workers to stop, so they wait for jobs forever.
//
// Closing the queue says it all at once: a worker's `for job in receiver` loop
// goes on while there are jobs, and ends when the queue is empty and its last
// sender has been dropped.
//
// Your task: complete `Service`.
//   - `start(workers, work)` starts `workers` threads that take jobs from a
//     shared queue and run `work` on each, several at once;
//   - `submit(job)` puts a job in the queue and returns at once;
//   - `shutdown()` runs every job submitted so far (none lost, none run twice),
//     stops the workers, and returns all the results (in any order). It must
//     return as soon as the last job is done.
//
// `main` runs a small demo: `concur run graceful_shutdown`.

use std::thread;
use std::time::{Duration, Instant};

pub struct Service {
    // TODO: what a running service needs to keep.
}

impl Service {
    /// Starts `workers` threads that run `work` on each submitted job.
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        // TODO
        todo!("start a service with {workers} workers")
    }

    /// Queues `job`; returns without waiting for it to run.
    pub fn submit(&self, job: u64) {
        // TODO
        todo!("submit job {job}")
    }

    /// Runs every job submitted so far, stops the workers and returns all the results.
    pub fn shutdown(self) -> Vec<u64> {
        // TODO
        todo!("shut down")
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
