// Worker pool: a fixed number of threads draining one queue of jobs.
//
// Correct alternative without a channel: every job is known up front, so the queue is a
// `VecDeque` behind a `Mutex`, and a worker stops when it finds it empty. Scoped threads
// borrow the queue and `work`; each returns its results through its join handle.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::thread;

/// Runs `work` on every job using `workers` threads and returns every result
/// exactly once, in no particular order.
pub fn run_pool<J, R, F>(jobs: Vec<J>, workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    let queue = Mutex::new(VecDeque::from(jobs));
    let (queue, work) = (&queue, &work);
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let next = queue.lock().unwrap().pop_front();
                        let Some(job) = next else { break };
                        done.push(work(job));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

fn main() {
    let mut squares = run_pool((1..=8u64).collect(), 4, |n| n * n);
    squares.sort_unstable();
    println!("{squares:?}");
}
