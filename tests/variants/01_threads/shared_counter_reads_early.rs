// expect-fail: counter_reaches_the_exact_total
// expect-fail: counter_is_exact_for_other_sizes
//
// Wrong variant of shared_counter: the counter is shared and locked briefly,
// but it is read before the workers are joined, while they have not counted
// anything yet; joining them afterwards comes too late for the answer.

use std::sync::{Arc, Mutex};
use std::thread;

use concur_kit::workload::serve_page;

pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            let served = Arc::clone(&served);
            thread::spawn(move || {
                for page in 0..pages_per_worker {
                    if serve_page(worker, page) {
                        *served.lock().expect("lock") += 1;
                    }
                }
            })
        })
        .collect();
    let total = *served.lock().expect("lock");
    for handle in handles {
        handle.join().expect("worker");
    }
    total
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
