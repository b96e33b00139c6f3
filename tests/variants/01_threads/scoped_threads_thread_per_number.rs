// expect-fail: every_number_is_summed_in_at_most_threads_parts
//
// Wrong variant of scoped_threads: a scoped thread for every number, whatever
// `threads` says. Fast and right, but it uses as many threads as numbers.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], _threads: usize) -> u64 {
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(1)
            .map(|part| s.spawn(move || slow_sum(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {}
