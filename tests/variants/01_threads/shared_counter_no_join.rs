// expect-fail: counter_reaches_the_exact_total
// expect-fail: counter_is_exact_for_other_sizes
// expect-fail: every_page_is_served_once
// expect-fail: workers_serve_pages_at_the_same_time
// expect-fail: faster_than_one_worker_after_another
//
// Wrong variant of shared_counter: the workers are started, but never joined;
// the counter is read at once and returned while they are still serving.

use std::sync::{Arc, Mutex};
use std::thread;

use concur_kit::workload::serve_page;

pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(Mutex::new(0_u64));
    for worker in 0..workers {
        let served = Arc::clone(&served);
        thread::spawn(move || {
            for page in 0..pages_per_worker {
                if serve_page(worker, page) {
                    *served.lock().expect("lock") += 1;
                }
            }
        });
    }
    let total = *served.lock().expect("lock");
    total
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
