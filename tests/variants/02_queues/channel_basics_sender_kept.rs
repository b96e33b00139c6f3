// expect-fail: channel_closes_after_the_last_square
//
// Wrong variant of channel_basics: a clone of the sender is kept in a second thread that
// lives on, so the channel never closes and a `for` loop over the receiver never ends.

use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let spare = tx.clone();
    thread::spawn(move || {
        for n in numbers {
            let _ = tx.send(square(n));
        }
    });
    thread::spawn(move || {
        // Holds the spare sender "in case more work comes".
        thread::sleep(Duration::from_secs(8));
        drop(spare);
    });
    rx
}

fn main() {
    for s in squares_in_background(vec![1, 2, 3], |n| n * n) {
        println!("{s}");
    }
}
