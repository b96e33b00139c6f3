// expect-fail: each_square_is_sent_as_soon_as_it_is_ready
//
// Wrong variant of channel_basics: the thread computes every square first and
// sends them only at the end, so the receiver gets nothing while work goes on.

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let all: Vec<u64> = numbers.into_iter().map(square).collect();
        for s in all {
            let _ = tx.send(s);
        }
    });
    rx
}

fn main() {
    for s in squares_in_background(vec![1, 2, 3], |n| n * n) {
        println!("{s}");
    }
}
