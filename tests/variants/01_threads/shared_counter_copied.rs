// expect-fail: counter_reaches_the_exact_total
// expect-fail: counter_is_exact_for_other_sizes
//
// Wrong variant of shared_counter: the workers run at the same time, but each
// `move` closure counts into its own copy of a plain `u64`, so the counter the
// function returns never changes.

use std::thread;

use concur_kit::workload::serve_page;

#[allow(unused_assignments, unused_variables)]
pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let mut served = 0_u64;
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            thread::spawn(move || {
                for page in 0..pages_per_worker {
                    if serve_page(worker, page) {
                        served += 1;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("worker");
    }
    served
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
