// expect-fail: parts_are_summed_at_the_same_time
// expect-fail: faster_than_one_part_after_another
//
// Wrong variant of scoped_threads: the parts are right and each one gets a
// scoped thread, but every thread is joined before the next one is spawned,
// so the parts are summed one after another.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let part_size = numbers.len().div_ceil(threads.max(1)).max(1);
    thread::scope(|s| {
        numbers
            .chunks(part_size)
            .map(|part| s.spawn(move || slow_sum(part)).join().expect("thread"))
            .sum()
    })
}

fn main() {
    println!("{}", parallel_sum(&[1, 2, 3, 4], 2));
}
