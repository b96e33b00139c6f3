// expect-fail: every_square_arrives_in_order
// expect-fail: squares_are_computed_on_one_background_thread
// expect-fail: each_square_is_sent_as_soon_as_it_is_ready
//
// Wrong variant of channel_basics: the thread sends `n * n` itself and never calls the
// `square` it was given. With `square` computing `n * n`, nobody could tell.

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn squares_in_background<F>(numbers: Vec<u64>, _square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for n in numbers {
            let _ = tx.send(n * n);
        }
    });
    rx
}

fn main() {
    for s in squares_in_background(vec![1, 2, 3], |n| n * n) {
        println!("{s}");
    }
}
