// Correct alternative for shared_counter: the shared counter is an `AtomicU64`
// in an `Arc`, which every worker increments without a lock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use concur_kit::workload::serve_page;

/// Runs `workers` threads at once, each asking for `pages_per_worker` pages,
/// and returns how many pages were served, counted in one shared counter.
pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            let served = Arc::clone(&served);
            thread::spawn(move || {
                for page in 0..pages_per_worker {
                    if serve_page(worker, page) {
                        served.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    served.load(Ordering::Relaxed)
}

fn main() {
    let started = Instant::now();
    let served = serve_and_count(4, 4);
    println!("4 workers served {served} pages in {:?}", started.elapsed());
}
