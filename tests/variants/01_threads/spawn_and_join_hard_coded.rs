// expect-fail: squares_come_back_in_the_order_of_the_numbers
// expect-fail: every_number_is_squared_once_inside_the_call
// expect-fail: every_number_is_squared_on_its_own_thread
// expect-fail: all_numbers_are_squared_at_the_same_time
// expect-fail: faster_than_one_number_after_another
//
// Wrong variant of spawn_and_join: it squares the numbers of the example in
// `main`, the right way (a thread each, all at once), whatever numbers it is
// given.

use std::thread;

use concur_kit::workload::slow_square;

pub fn squares(numbers: &[u64]) -> Vec<u64> {
    if numbers.is_empty() {
        return Vec::new();
    }
    let handles: Vec<_> = [3, 1, 4, 1, 5, 9, 2, 6]
        .into_iter()
        .map(|n| thread::spawn(move || slow_square(n)))
        .collect();
    handles.into_iter().map(|h| h.join().expect("thread")).collect()
}

fn main() {
    println!("{:?}", squares(&[3, 1, 4]));
}
