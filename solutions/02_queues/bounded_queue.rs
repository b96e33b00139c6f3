// Bounded queues and backpressure.
//
// Reference solution. `sync_channel(capacity)` blocks `send` while `capacity`
// jobs are waiting, so the producer can never get more than that far ahead of
// the consumer. A scoped thread lets the producer borrow `produce`, which need
// not be `'static`; the scope joins it before returning.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Moves every job `produce` makes to `consume`, through a queue of at most `capacity`
/// jobs; the producer runs on its own thread, the consumer on the caller's.
pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let (queue, jobs) = mpsc::sync_channel(capacity);
    thread::scope(|scope| {
        scope.spawn(move || {
            while let Some(job) = produce() {
                // Waits here while the queue is full.
                if queue.send(job).is_err() {
                    break; // the consumer is gone
                }
            }
            // `queue` is dropped here, which ends the consumer's loop.
        });
        for job in jobs {
            consume(job);
        }
    });
}

fn main() {
    let started = Instant::now();
    let mut next = 0;
    let produce = move || {
        next += 1;
        println!("{:>7.1?}  made job {next}", started.elapsed());
        (next <= 8).then_some(next)
    };
    let consume = |job: u32| {
        thread::sleep(Duration::from_millis(200));
        println!("{:>7.1?}  consumed job {job}", started.elapsed());
    };
    produce_and_consume(2, produce, consume);
}
