// Correct alternative for shared_counter: scoped threads borrow one `Mutex`
// that lives on this function's stack, so no `Arc` is needed; the scope joins
// every worker before the count is read.

use std::sync::Mutex;
use std::thread;
use std::time::Instant;

use concur_kit::workload::serve_page;

/// Runs `workers` threads at once, each asking for `pages_per_worker` pages,
/// and returns how many pages were served, counted in one shared counter.
pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Mutex::new(0_u64);
    thread::scope(|s| {
        for worker in 0..workers {
            let served = &served;
            s.spawn(move || {
                for page in 0..pages_per_worker {
                    if serve_page(worker, page) {
                        *served.lock().expect("a worker panicked while counting") += 1;
                    }
                }
            });
        }
    });
    served.into_inner().expect("a worker panicked while counting")
}

fn main() {
    let started = Instant::now();
    let served = serve_and_count(4, 4);
    println!("4 workers served {served} pages in {:?}", started.elapsed());
}
