// expect-fail: queue_fills_up_to_its_capacity
//
// Wrong variant of bounded_queue: a queue of capacity 0 (a rendezvous), whatever
// `capacity` says. It never holds too much, but the producer waits for the
// consumer on every single job instead of working ahead.

use std::sync::mpsc;
use std::thread;

pub fn produce_and_consume<J, P, C>(_capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let (tx, rx) = mpsc::sync_channel(0);
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
