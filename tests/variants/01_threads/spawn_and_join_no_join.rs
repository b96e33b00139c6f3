// expect-fail: every_number_is_squared_once_inside_the_call
// expect-fail: every_number_is_squared_on_its_own_thread
// expect-fail: all_numbers_are_squared_at_the_same_time
// expect-fail: faster_than_one_number_after_another
//
// Wrong variant of spawn_and_join: a thread per number is spawned, but never
// joined; the squares are computed right here instead, so `squares` returns
// at once while the threads are still at work. The answer is right, and the
// threads' work is not part of it.

use std::thread;

use concur_kit::workload::slow_square;

pub fn squares(numbers: &[u64]) -> Vec<u64> {
    for &n in numbers {
        thread::spawn(move || slow_square(n));
    }
    numbers.iter().map(|n| n * n).collect()
}

fn main() {
    println!("{:?}", squares(&[3, 1, 4]));
}
