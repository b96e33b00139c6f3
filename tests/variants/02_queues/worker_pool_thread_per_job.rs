// expect-fail: jobs_run_on_exactly_the_worker_threads
// expect-fail: one_worker_still_works
//
// Wrong variant of worker_pool: a scoped thread per job, whatever `workers` says. Every
// result is right and it is fast, but the number of threads grows with the number of jobs,
// which is what a pool is there to prevent.

use std::thread;

pub fn run_pool<J, R, F>(jobs: Vec<J>, _workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    let work = &work;
    thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|job| scope.spawn(move || work(job)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn main() {
    println!("{:?}", run_pool((1..=8u64).collect(), 4, |n| n * n));
}
