// Worker pool: a fixed number of threads draining one queue of jobs.
//
// Reference solution. The jobs go into a crossbeam channel, which, unlike
// `std::sync::mpsc`, may have many receivers: every worker holds a clone of the
// receiving end and takes the next job as soon as it is free, so a slow job never
// holds up the others. Scoped threads let the workers borrow `work` and hand
// their results back through their join handles.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel;

/// Runs `work` on every job using `workers` threads and returns every result
/// exactly once, in no particular order.
///
/// # Panics
///
/// If `workers` is zero, or if `work` panics on some job.
pub fn run_pool<J, R, F>(jobs: Vec<J>, workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    assert!(workers > 0, "a pool needs at least one worker");

    let (queue, jobs_rx) = channel::unbounded();
    for job in jobs {
        queue.send(job).expect("the receiving end is still held here");
    }
    // Closing the queue is how the workers learn there is nothing left: once it
    // is empty, their `for job in ...` loops end.
    drop(queue);

    let work = &work;
    thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                let jobs_rx = jobs_rx.clone();
                scope.spawn(move || jobs_rx.into_iter().map(work).collect::<Vec<R>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                // Re-raise a worker's panic as it was, so its message is not lost.
                worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
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
