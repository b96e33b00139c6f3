// expect-fail: every_number_is_summed_in_at_most_threads_parts
// expect-fail: more_threads_than_numbers_still_sum_right
//
// Wrong variant of scoped_threads: the part size is rounded down, so a slice
// that does not divide evenly gets one part (and thread) too many, and with
// more threads than numbers the size is 0 and `chunks(0)` panics.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    if numbers.is_empty() {
        return 0;
    }
    let part_size = numbers.len() / threads;
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(part_size)
            .map(|part| s.spawn(move || slow_sum(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {}
