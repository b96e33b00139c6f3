// Correct alternative for bounded_queue: a `Mutex<VecDeque>` and a single
// `Condvar` that both sides wait on in explicit `while` loops and wake with
// `notify_all`; the producer marks the end with a `finished` flag.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;

pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let room = capacity.max(1);
    let state = Mutex::new((VecDeque::<J>::new(), false));
    let changed = Condvar::new();
    thread::scope(|s| {
        s.spawn(|| {
            while let Some(job) = produce() {
                let mut guard = state.lock().unwrap();
                while guard.0.len() >= room {
                    guard = changed.wait(guard).unwrap();
                }
                guard.0.push_back(job);
                changed.notify_all();
            }
            state.lock().unwrap().1 = true;
            changed.notify_all();
        });
        loop {
            let job = {
                let mut guard = state.lock().unwrap();
                while guard.0.is_empty() && !guard.1 {
                    guard = changed.wait(guard).unwrap();
                }
                let job = guard.0.pop_front();
                changed.notify_all();
                job
            };
            match job {
                Some(job) => consume(job),
                None => break,
            }
        }
    });
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 5).then_some(n) }, |j| println!("{j}"));
}
