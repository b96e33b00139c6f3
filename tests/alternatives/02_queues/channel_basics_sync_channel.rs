// Channels: sending results from a background thread.
//
// Correct alternative: a bounded `sync_channel` of capacity 1. Its receiving end is the same
// `Receiver` type; the worker may run at most one square ahead of the caller, which is
// backpressure for free and changes nothing when the caller keeps up.

use std::sync::mpsc::{self, Receiver};
use std::thread;

/// Squares `numbers` on a background thread with `square` and returns a receiver that
/// yields each square, in order, as soon as it is computed.
pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (sender, receiver) = mpsc::sync_channel(1);
    thread::spawn(move || {
        for n in numbers {
            if sender.send(square(n)).is_err() {
                return; // nobody is listening any more
            }
        }
    });
    receiver
}

fn main() {
    for square in squares_in_background((1..=5).collect(), |n| n * n) {
        println!("{square}");
    }
}
