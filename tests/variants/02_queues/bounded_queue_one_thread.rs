// expect-fail: producer_and_consumer_run_at_the_same_time
//
// Wrong variant of bounded_queue: no second thread. The calling thread fills a `VecDeque`
// up to `capacity`, consumes one job, tops it up again, and so on. The queue never holds
// more than its capacity and it does fill up, but producer and consumer only take turns:
// nothing is made while a job is consumed.

use std::collections::VecDeque;

pub fn produce_and_consume<J, P, C>(capacity: usize, mut produce: P, mut consume: C)
where
    J: Send,
    P: FnMut() -> Option<J> + Send,
    C: FnMut(J),
{
    let mut queue = VecDeque::with_capacity(capacity);
    let mut exhausted = false;
    loop {
        while !exhausted && queue.len() < capacity {
            match produce() {
                Some(job) => queue.push_back(job),
                None => exhausted = true,
            }
        }
        match queue.pop_front() {
            Some(job) => consume(job),
            None => break,
        }
    }
}

fn main() {
    let mut n = 0;
    produce_and_consume(2, move || { n += 1; (n <= 3).then_some(n) }, |j| println!("{j}"));
}
