// Shared state: one counter, owned together through an `Arc`, changed one
// thread at a time through a `Mutex`.
//
// Reference solution. Every worker holds a clone of the `Arc` and locks the
// mutex only for the increment itself, never while serving a page, so the
// workers never wait for each other's pages; a page `serve_page` did not find
// is not counted. Once every worker is joined, this thread is the only owner
// left, and the count is final.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use concur_kit::workload::serve_page;

/// Runs `workers` threads at once, each asking for `pages_per_worker` pages,
/// and returns how many pages were served, counted in one shared counter.
///
/// # Panics
///
/// If a worker thread panics.
pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            let served = Arc::clone(&served);
            thread::spawn(move || {
                for page in 0..pages_per_worker {
                    if serve_page(worker, page) {
                        *served.lock().expect("a worker panicked while counting") += 1;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    let total = *served.lock().expect("a worker panicked while counting");
    total
}

fn main() {
    let started = Instant::now();
    let served = serve_and_count(4, 4);
    println!("4 workers served {served} pages in {:?}", started.elapsed());
}
