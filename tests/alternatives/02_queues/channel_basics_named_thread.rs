// Channels: sending results from a background thread.
//
// Correct alternative: a named thread from `thread::Builder`, and a lazy iterator that
// squares each number only when `try_for_each` asks for it and sends it at once; the first
// failed send (the receiver is gone) stops the loop.

use std::sync::mpsc::{self, Receiver};
use std::thread;

/// Squares `numbers` on a background thread with `square` and returns a receiver that
/// yields each square, in order, as soon as it is computed.
pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    thread::Builder::new()
        .name("squarer".into())
        .spawn(move || {
            let _ = numbers
                .into_iter()
                .map(square)
                .try_for_each(|s| sender.send(s));
        })
        .expect("the squaring thread starts");
    receiver
}

fn main() {
    for square in squares_in_background((1..=5).collect(), |n| n * n) {
        println!("{square}");
    }
}
