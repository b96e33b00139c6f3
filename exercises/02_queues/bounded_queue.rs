// Bounded queues and backpressure
//
// With an unbounded channel, a fast producer and a slow consumer end badly: the
// producer races ahead, and every job it has made but the consumer has not yet
// taken sits in memory. A *bounded* queue holds at most `capacity` jobs; when it
// is full, sending waits until the consumer takes one. The producer is slowed
// down to the consumer's pace: that is backpressure.
//
// `std::sync::mpsc::sync_channel(capacity)` and
// `crossbeam::channel::bounded(capacity)` both make such a queue.
//
// Your task: write `produce_and_consume`. It must
//   - run the producer on its own thread: call `produce()` until it returns
//     `None`, and send every job into a queue that holds at most `capacity` jobs,
//   - run the consumer on the calling thread: take the jobs from the queue, in
//     order, and call `consume(job)` on each,
//   - return once every job has been consumed.
//
// `main` runs a small demo: `concur run bounded_queue`.

use std::thread;
use std::time::{Duration, Instant};

/// Moves every job `produce` makes to `consume`, through a queue of at most `capacity`
/// jobs; the producer runs on its own thread, the consumer on the caller's.
pub fn produce_and_consume<J, P, C>(capacity: usize, produce: P, consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    // TODO: a queue that holds at most `capacity` jobs, a producer thread that
    // fills it, and a consumer loop here that drains it.
    todo!("move the jobs through a queue of capacity {capacity}")
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
