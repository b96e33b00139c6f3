// Worker pool
//
// Starting a thread per job stops scaling once there are thousands of jobs. A
// worker pool starts a fixed number of threads instead, puts the jobs in a queue,
// and lets every worker take the next job as soon as it is free. A channel is a
// ready-made queue: the jobs go in at one end, and the workers take them out at
// the other until the channel is empty and closed.
//
// Your task: write `run_pool`. It must
//   - run `work` on every job on exactly `workers` threads, all working at once,
//   - let a worker that is free take the next waiting job at once: jobs may take
//     very different times, so a fixed share per worker leaves some idle,
//   - return every result exactly once (the order does not matter),
//   - work with a single worker, and return an empty Vec when there are no jobs.
//
// `std::sync::mpsc` gives each channel one receiver; `crossbeam::channel` lets
// many threads receive from the same channel. Either can be made to work.
//
// `main` runs a small demo: `concur run worker_pool`.

use std::thread;
use std::time::{Duration, Instant};

/// Runs `work` on every job using `workers` threads and returns every result
/// exactly once, in no particular order.
pub fn run_pool<J, R, F>(jobs: Vec<J>, workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    // TODO: put the jobs in a queue, start `workers` threads that each take
    // jobs from it until it is empty, and gather what they return.
    todo!("run {} jobs with workers = {workers}", jobs.len())
}

fn main() {
    let jobs: Vec<u64> = (1..=8).collect();
    let started = Instant::now();
    let mut squares = run_pool(jobs, 4, |n| {
        thread::sleep(Duration::from_millis(100));
        n * n
    });
    squares.sort_unstable();
    println!("squares: {squares:?}");
    println!("8 jobs of 100 ms on 4 workers took {:?}", started.elapsed());
}
