// expect-fail: sum_is_right
// expect-fail: every_number_is_summed_in_at_most_threads_parts
//
// Wrong variant of scoped_threads: `chunks_exact` drops the short last part,
// so its numbers are never summed when the slice does not divide evenly.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let part_size = numbers.len().div_ceil(threads).max(1);
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks_exact(part_size)
            .map(|part| s.spawn(move || slow_sum(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {}
