// expect-fail: workers_serve_pages_at_the_same_time
// expect-fail: faster_than_one_worker_after_another
//
// Wrong variant of shared_counter: the count is right, but each worker takes
// the lock before its first page and keeps it until its last, so the workers
// take turns instead of working at the same time.

use std::sync::{Arc, Mutex};
use std::thread;

use concur_kit::workload::serve_page;

pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            let served = Arc::clone(&served);
            thread::spawn(move || {
                let mut count = served.lock().expect("lock");
                for page in 0..pages_per_worker {
                    if serve_page(worker, page) {
                        *count += 1;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("worker");
    }
    let total = *served.lock().expect("lock");
    total
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
