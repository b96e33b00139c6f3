// expect-fail: no_numbers_sum_to_zero
//
// Wrong variant of scoped_threads: the part size is not kept at least 1, so an
// empty slice asks for `chunks(0)`, which panics.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let part_size = numbers.len().div_ceil(threads);
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(part_size)
            .map(|part| s.spawn(move || slow_sum(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {}
