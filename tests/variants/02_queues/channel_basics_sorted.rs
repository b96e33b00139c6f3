// expect-fail: every_square_arrives_in_order
//
// Wrong variant of channel_basics: the thread sorts the numbers first, so the squares come
// out in ascending order of the numbers, not in the order they were given.

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn squares_in_background<F>(mut numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        numbers.sort_unstable();
        for n in numbers {
            let _ = tx.send(square(n));
        }
    });
    rx
}

fn main() {
    for s in squares_in_background(vec![3, 1, 2], |n| n * n) {
        println!("{s}");
    }
}
