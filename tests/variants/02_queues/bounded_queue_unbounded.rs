// expect-fail: queue_never_holds_more_than_its_capacity
// expect-fail: producer_waits_while_the_queue_is_full
//
// Wrong variant of bounded_queue: an unbounded channel. The producer never waits,
// makes every job at once, and the queue grows as long as it likes.

use std::sync::mpsc;
use std::thread;

pub fn produce_and_consume<J, P, C>(_capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        s.spawn(move || {
            while let Some(job) = produce() {
                tx.send(job).unwrap();
            }
        });
        for job in rx {
            consume(job);
        }
    });
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 3).then_some(n) }, |j| println!("{j}"));
}
