// expect-fail: all_numbers_are_squared_at_the_same_time
// expect-fail: faster_than_one_number_after_another
//
// Wrong variant of spawn_and_join: every number gets its own thread, but each
// thread is joined right after it is spawned, so they run one after another.

use std::thread;

use concur_kit::workload::slow_square;

pub fn squares(numbers: &[u64]) -> Vec<u64> {
    numbers
        .iter()
        .map(|&n| {
            thread::spawn(move || slow_square(n))
                .join()
                .expect("thread")
        })
        .collect()
}

fn main() {
    println!("{:?}", squares(&[3, 1, 4]));
}
