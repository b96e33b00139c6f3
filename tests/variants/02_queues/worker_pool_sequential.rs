// expect-fail: jobs_run_at_the_same_time
// expect-fail: jobs_run_on_exactly_the_worker_threads
// expect-fail: pool_is_faster_than_one_job_after_another
// expect-fail: a_free_worker_takes_the_next_job
//
// Wrong variant of worker_pool: a single thread does every job, one after
// another, whatever `workers` says. The results are right, so only the timing
// checks can tell it from a pool.

use std::thread;
use std::time::{Duration, Instant};

pub fn run_pool<J, R, F>(jobs: Vec<J>, _workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    thread::spawn(move || jobs.into_iter().map(work).collect())
        .join()
        .expect("the single worker panicked")
}

fn main() {
    let started = Instant::now();
    let squares = run_pool((1..=8u64).collect(), 4, |n| {
        thread::sleep(Duration::from_millis(100));
        n * n
    });
    println!("squares: {squares:?} in {:?}", started.elapsed());
}
