// expect-fail: sum_is_right
// expect-fail: more_threads_than_numbers_still_sum_right
// expect-fail: every_number_is_summed_in_at_most_threads_parts
// expect-fail: parts_are_summed_at_the_same_time
// expect-fail: faster_than_one_part_after_another
//
// Wrong variant of scoped_threads: sums the numbers itself and returns at once,
// leaving `thread::spawn` threads (on copies of the parts) to call `slow_sum`
// after it returned. Right answer, quick, and the work is not the call's.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let part_size = numbers.len().div_ceil(threads).max(1);
    for part in numbers.chunks(part_size) {
        let part = part.to_vec();
        thread::spawn(move || slow_sum(&part));
    }
    numbers.iter().sum()
}

fn main() {}
