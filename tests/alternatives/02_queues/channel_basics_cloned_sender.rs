// Correct alternative for channel_basics: the thread gets a clone of the
// sender and the original is dropped by hand before returning; the worker
// walks the numbers with a `while let` over the iterator, and its handle is
// dropped (the thread is detached, the channel says when it is done).

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (tx, rx) = mpsc::channel::<u64>();
    let worker_tx = tx.clone();
    let _detached = thread::spawn(move || {
        let mut numbers = numbers.into_iter();
        while let Some(n) = numbers.next() {
            if worker_tx.send(square(n)).is_err() {
                return;
            }
        }
    });
    drop(tx);
    rx
}

fn main() {
    for square in squares_in_background((1..=5).collect(), |n| n * n) {
        println!("{square}");
    }
}
