// expect-fail: counter_reaches_the_exact_total
// expect-fail: counter_is_exact_for_other_sizes
//
// Wrong variant of shared_counter: one shared counter, the workers at the same
// time, but every page asked for is counted, also the ones `serve_page` did
// not find.

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
                    serve_page(worker, page);
                    *served.lock().expect("lock") += 1;
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
