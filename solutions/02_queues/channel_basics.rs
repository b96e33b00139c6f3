// Channels: sending results from a background thread.
//
// Reference solution. The sender moves into the worker thread; when the thread
// ends, the sender is dropped with it, which closes the channel and ends the
// receiver's loop. Each square is sent as soon as it is computed, so the caller
// can use the first one while the others are still being worked on.

use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// Squares `numbers` on a background thread with `square` and returns a receiver that
/// yields each square, in order, as soon as it is computed.
pub fn squares_in_background<F>(numbers: Vec<u64>, square: F) -> Receiver<u64>
where
    F: Fn(u64) -> u64 + Send + 'static,
{
    let (squares, receiver) = mpsc::channel();
    thread::spawn(move || {
        for n in numbers {
            if squares.send(square(n)).is_err() {
                // The receiver was dropped: nobody wants the rest.
                break;
            }
        }
    });
    receiver
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
