// expect-fail: every_job_is_consumed_once_in_order
//
// Wrong variant of bounded_queue: a bounded stack instead of a queue. The producer pushes
// onto a `Vec` behind a `Mutex` (waiting on a `Condvar` while it is full) and the consumer
// pops from the same end, so the newest job is consumed first.

use std::sync::{Condvar, Mutex};
use std::thread;

pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    // (jobs, producer finished)
    let state = Mutex::new((Vec::new(), false));
    let changed = Condvar::new();
    thread::scope(|scope| {
        scope.spawn(|| {
            while let Some(job) = produce() {
                let mut s = changed.wait_while(state.lock().unwrap(), |s| s.0.len() >= capacity).unwrap();
                s.0.push(job);
                changed.notify_all();
            }
            state.lock().unwrap().1 = true;
            changed.notify_all();
        });
        loop {
            let mut s = changed.wait_while(state.lock().unwrap(), |s| s.0.is_empty() && !s.1).unwrap();
            let Some(job) = s.0.pop() else { break };
            changed.notify_all();
            drop(s);
            consume(job);
        }
    });
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 3).then_some(n) }, |j| println!("{j}"));
}
