// expect-fail: returns_before_the_work_is_done
// expect-fail: squares_are_computed_on_one_background_thread
// expect-fail: each_square_is_sent_as_soon_as_it_is_ready
//
// Wrong variant of channel_basics: the caller's thread does all the work before it
// returns the receiver, so nothing happens in the background.

use std::sync::mpsc::{self, Receiver};

pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    for n in numbers {
        let _ = tx.send(square(n));
    }
    rx
}

fn main() {
    for s in squares_in_background(vec![1, 2, 3], |n| n * n) {
        println!("{s}");
    }
}
