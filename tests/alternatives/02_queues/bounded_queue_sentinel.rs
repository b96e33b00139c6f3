// Correct alternative for bounded_queue: a `sync_channel` of `Option<J>` with a
// `None` sentinel for "no more jobs", a producer started with
// `thread::Builder::spawn_scoped`, and a `loop` over `recv()` on the consumer.

use std::sync::mpsc;
use std::thread;

pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let (tx, rx) = mpsc::sync_channel::<Option<J>>(capacity);
    thread::scope(|s| {
        thread::Builder::new()
            .name("producer".into())
            .spawn_scoped(s, move || loop {
                let job = produce();
                let last = job.is_none();
                if tx.send(job).is_err() || last {
                    break;
                }
            })
            .expect("the producer starts");
        loop {
            match rx.recv() {
                Ok(Some(job)) => consume(job),
                Ok(None) | Err(_) => break,
            }
        }
    });
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 5).then_some(n) }, |j| println!("{j}"));
}
