// Worker pool: a fixed number of threads draining one queue of jobs.
//
// Correct alternative with `std::sync::mpsc` only: its receiver cannot be cloned, so the
// workers share it behind an `Arc<Mutex<_>>`. The lock is held only to take the next job,
// never while running it; the results come back on a second channel.

use std::sync::{mpsc, Arc, Mutex};
use std::thread;

/// Runs `work` on every job using `workers` threads and returns every result
/// exactly once, in no particular order.
pub fn run_pool<J, R, F>(jobs: Vec<J>, workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    let (queue, jobs_rx) = mpsc::channel();
    for job in jobs {
        queue.send(job).expect("the receiver is held here");
    }
    drop(queue);
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    let work = Arc::new(work);
    let (results_tx, results) = mpsc::channel();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (jobs_rx, work, results_tx) = (jobs_rx.clone(), work.clone(), results_tx.clone());
            thread::spawn(move || loop {
                // The guard is a temporary of this statement: the lock is free again before
                // the job runs.
                let next = jobs_rx.lock().expect("no worker panics holding it").recv();
                match next {
                    Ok(job) => results_tx.send(work(job)).expect("the caller collects"),
                    Err(_) => break, // empty and closed
                }
            })
        })
        .collect();
    drop(results_tx);
    let collected = results.into_iter().collect();
    for handle in handles {
        handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    collected
}

fn main() {
    let mut squares = run_pool((1..=8u64).collect(), 4, |n| n * n);
    squares.sort_unstable();
    println!("{squares:?}");
}
