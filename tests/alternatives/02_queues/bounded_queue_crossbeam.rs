// Bounded queues and backpressure.
//
// Correct alternative: `crossbeam::channel::bounded(capacity)` and crossbeam's own scoped
// threads. The producer owns the sender, so the consumer's loop ends when it finishes.

use crossbeam::channel;

/// Moves every job `produce` makes to `consume`, through a queue of at most `capacity`
/// jobs; the producer runs on its own thread, the consumer on the caller's.
pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let (queue, jobs) = channel::bounded(capacity);
    crossbeam::scope(|scope| {
        scope.spawn(move |_| {
            while let Some(job) = produce() {
                // Blocks while the queue is full; fails only if the consumer is gone.
                if queue.send(job).is_err() {
                    break;
                }
            }
        });
        for job in jobs.iter() {
            consume(job);
        }
    })
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 5).then_some(n) }, |j| println!("{j}"));
}
