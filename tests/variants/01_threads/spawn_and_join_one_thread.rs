// expect-fail: every_number_is_squared_on_its_own_thread
// expect-fail: all_numbers_are_squared_at_the_same_time
// expect-fail: faster_than_one_number_after_another
//
// Wrong variant of spawn_and_join: one background thread squares every number,
// one after another.

use std::thread;

use concur_kit::workload::slow_square;

pub fn squares(numbers: &[u64]) -> Vec<u64> {
    let numbers = numbers.to_vec();
    thread::spawn(move || numbers.into_iter().map(slow_square).collect())
        .join()
        .expect("thread")
}

fn main() {
    println!("{:?}", squares(&[3, 1, 4]));
}
