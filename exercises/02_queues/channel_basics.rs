// Channels: sending results from a background thread
//
// A channel is a queue between threads. `std::sync::mpsc::channel()` returns a
// `Sender` and a `Receiver`: one thread sends values in, another receives them,
// in the order they were sent. `recv()` waits until a value arrives, and returns
// an error once the channel is empty and every `Sender` has been dropped; that is
// also what ends a `for value in receiver` loop.
//
// Your task: write `squares_in_background`. It must
//   - start one thread that squares the numbers, one after another, with the
//     `square` function it is given,
//   - send each square into a channel *as soon as it is ready*, in the order of
//     `numbers`,
//   - return the receiving end right away, without waiting for the work,
//   - let the channel close after the last square, so a `for` loop over the
//     receiver ends.
//
// `main` runs a small demo: `concur run channel_basics`.

use std::sync::mpsc::Receiver;
use std::thread;
use std::time::{Duration, Instant};

/// Squares `numbers` on a background thread with `square` and returns a receiver that
/// yields each square, in order, as soon as it is computed.
pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    // TODO: create a channel, move the sender and the work into a new thread,
    // and return the receiver.
    todo!("square {} numbers in the background", numbers.len())
}

fn main() {
    let started = Instant::now();
    let squares = squares_in_background((1..=5).collect(), |n| {
        thread::sleep(Duration::from_millis(200));
        n * n
    });
    println!("got the receiver after {:?}", started.elapsed());
    for square in squares {
        println!("{square:>3} at {:?}", started.elapsed());
    }
    println!("the channel closed after {:?}", started.elapsed());
}
