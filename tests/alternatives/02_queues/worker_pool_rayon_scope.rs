// Worker pool: a fixed number of threads draining one queue of jobs.
//
// Correct alternative with rayon: a thread pool of exactly `workers` threads, and one task
// per job spawned in a `scope`; idle threads steal waiting tasks, so a free worker always
// takes the next job. The scope returns once every task is done.

use std::sync::Mutex;

/// Runs `work` on every job using `workers` threads and returns every result
/// exactly once, in no particular order.
pub fn run_pool<J, R, F>(jobs: Vec<J>, workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a thread pool");
    let results = Mutex::new(Vec::new());
    let (results_ref, work) = (&results, &work);
    pool.scope(|scope| {
        for job in jobs {
            scope.spawn(move |_| {
                let result = work(job);
                results_ref.lock().unwrap().push(result);
            });
        }
    });
    results.into_inner().unwrap()
}

fn main() {
    let mut squares = run_pool((1..=8u64).collect(), 4, |n| n * n);
    squares.sort_unstable();
    println!("{squares:?}");
}
