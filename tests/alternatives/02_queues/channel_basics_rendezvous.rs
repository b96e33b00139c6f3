// Correct alternative for channel_basics: a rendezvous channel,
// `sync_channel(0)`. Each send waits until the receiver takes the square, so it
// is handed over the moment it is ready; the `Receiver` type is the same.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread;

pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = sync_channel(0);
    thread::spawn(move || {
        for n in numbers {
            let sq = square(n);
            if tx.send(sq).is_err() {
                break;
            }
        }
    });
    rx
}

fn main() {
    for square in squares_in_background((1..=5).collect(), |n| n * n) {
        println!("{square}");
    }
}
