// expect-fail: counter_reaches_the_exact_total
// expect-fail: counter_is_exact_for_other_sizes
//
// Wrong variant of shared_counter: the workers serve their pages at the same
// time, and the answer is worked out from the arguments, `workers × pages`,
// instead of counting: right only while no page is missing.

use std::thread;

use concur_kit::workload::serve_page;

pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            thread::spawn(move || {
                for page in 0..pages_per_worker {
                    serve_page(worker, page);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("worker");
    }
    (workers * pages_per_worker) as u64
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
