// Bounded queues and backpressure.
//
// Correct alternative: a bounded queue written by hand, a `VecDeque` behind a `Mutex` with
// two `Condvar`s: the producer waits on `not_full`, the consumer on `not_empty`. A `done`
// flag, set when `produce` runs out, tells the consumer to stop once the queue is empty.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;

struct Queue<J> {
    jobs: VecDeque<J>,
    done: bool,
}

/// Moves every job `produce` makes to `consume`, through a queue of at most `capacity`
/// jobs; the producer runs on its own thread, the consumer on the caller's.
pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let capacity = capacity.max(1);
    let queue = Mutex::new(Queue { jobs: VecDeque::new(), done: false });
    let (not_full, not_empty) = (Condvar::new(), Condvar::new());
    thread::scope(|scope| {
        scope.spawn(|| {
            while let Some(job) = produce() {
                let mut q = not_full
                    .wait_while(queue.lock().unwrap(), |q| q.jobs.len() >= capacity)
                    .unwrap();
                q.jobs.push_back(job);
                not_empty.notify_one();
            }
            queue.lock().unwrap().done = true;
            not_empty.notify_one();
        });
        loop {
            let mut q = not_empty
                .wait_while(queue.lock().unwrap(), |q| q.jobs.is_empty() && !q.done)
                .unwrap();
            let Some(job) = q.jobs.pop_front() else { break };
            not_full.notify_one();
            drop(q); // never consume while holding the lock
            consume(job);
        }
    });
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 5).then_some(n) }, |j| println!("{j}"));
}
