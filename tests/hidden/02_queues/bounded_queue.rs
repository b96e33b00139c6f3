//! Hidden checks for `02_queues/bounded_queue`.
//!
//! Every run draws the capacity (3–6) and the number of jobs (3 × capacity + 4 to 6; seeded,
//! replayable with `concur verify bounded_queue --seed N`). Making job k is a traced sleep of
//! 8 ms, `make(k)`, that returns a value only this run knows (`Inputs::salt`); consuming a job
//! is a traced sleep of 25 ms, `consume(k)`, so the producer is three times as fast as the
//! consumer and must wait for room. From the trace the checks rebuild, at every moment a job
//! was made, how many jobs were made but not yet taken by the consumer. A queue of capacity C
//! allows at most C + 2 of them: C waiting, one in the producer's hand trying to get in, one the
//! consumer has just received. A fast producer reaches C. Producer and consumer must be two
//! threads working at once: making a job while the consumer consumes another, and the whole
//! run faster than making and consuming one after another.
//!
//! Which wrong variant (`tests/variants/02_queues/bounded_queue_*.rs`) bites which check:
//! - `queue_never_holds_more_than_its_capacity`, `producer_waits_while_the_queue_is_full`:
//!   `_unbounded` (an unbounded channel);
//! - `queue_fills_up_to_its_capacity`: `_rendezvous` (capacity 0, whatever was asked);
//! - `producer_and_consumer_run_at_the_same_time`: `_one_thread` (makes and consumes on the
//!   calling thread, taking turns, through a `VecDeque` that never holds more than capacity);
//! - `every_job_is_consumed_once_in_order`: `_lifo` (a stack, not a queue).

use std::collections::HashMap;
use std::time::Duration;

use concur_kit::call::{call, Called};
use concur_kit::check::{assert_each_once, assert_inside, assert_wall_below};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::{traced, Span, Trace};

use crate::exercise::produce_and_consume;

const MAKE: Duration = Duration::from_millis(8);
const CONSUME: Duration = Duration::from_millis(25);
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    capacity: usize,
    /// What `produce` returned for job 1, 2, …, in that order.
    made: Vec<u64>,
    /// What the consumer got, in order, and the thread that called `produce_and_consume`.
    called: Called<(Vec<u64>, String)>,
    trace: Trace,
}

impl Run {
    fn jobs(&self) -> usize {
        self.made.len()
    }

    /// Made but not yet being consumed: the queue, one being sent, one just received.
    fn most_ahead(&self) -> usize {
        self.capacity + 2
    }

    fn makes(&self) -> Vec<Span> {
        self.spans("make(")
    }

    fn consumes(&self) -> Vec<Span> {
        self.spans("consume(")
    }

    fn spans(&self, prefix: &str) -> Vec<Span> {
        self.trace
            .spans()
            .into_iter()
            .filter(|s| s.label.starts_with(prefix))
            .collect()
    }

    fn picture(&self) -> String {
        picture(&self.trace, "jobs made and consumed")
    }
}

fn thread_name() -> String {
    format!("{:?}", std::thread::current().id())
}

fn run() -> Run {
    let mut inputs = Inputs::new();
    let capacity = inputs.between(3, 6) as usize;
    let jobs = 3 * capacity as u64 + inputs.between(4, 6);
    let made: Vec<u64> = (1..=jobs).map(|k| inputs.salt(k)).collect();
    let number: HashMap<u64, u64> = made.iter().zip(1..).map(|(&v, k)| (v, k)).collect();
    let trace = Trace::new();
    let (makes, takes) = (trace.clone(), trace.clone());
    let values = made.clone();
    let called = call("produce_and_consume", DEADLINE, move || {
        let mut next = 0;
        let produce = move || {
            let value = values.get(next).copied()?;
            next += 1;
            Some(traced(&makes, format!("make({next})"), MAKE, || value))
        };
        let mut consumed = Vec::new();
        let consume = |job: u64| {
            let label = match number.get(&job) {
                Some(k) => format!("consume({k})"),
                None => format!("consume of {job}, never made"),
            };
            traced(&takes, label, CONSUME, || consumed.push(job));
        };
        produce_and_consume(capacity, produce, consume);
        (consumed, thread_name())
    });
    Run {
        capacity,
        made,
        called,
        trace,
    }
}

/// For each job made, in order: how many jobs were made but not yet being consumed right
/// after it, and how many the consumer had started by then.
fn ahead_at_each_make(run: &Run) -> Vec<(usize, usize)> {
    let consumed: Vec<u64> = run.consumes().iter().map(|s| s.start_us).collect();
    run.makes()
        .iter()
        .enumerate()
        .map(|(i, made)| {
            let started = consumed.iter().filter(|&&c| c < made.end_us).count();
            ((i + 1).saturating_sub(started), started)
        })
        .collect()
}

#[test]
fn every_job_is_consumed_once_in_order() {
    let run = run();
    let consumed = &run.called.value.0;
    let n = run.jobs();
    if let Some(i) = (0..n.max(consumed.len())).find(|&i| consumed.get(i) != run.made.get(i)) {
        let got = match consumed.get(i) {
            None => "nothing".to_string(),
            Some(v) => match run.made.iter().position(|m| m == v) {
                Some(k) => format!("job {}", k + 1),
                None => format!("{v}, which `produce` never made"),
            },
        };
        panic!(
            "the consumer's job number {} was {got}; expected job {} — {n} jobs were made, \
             and the consumer must get each of them once, in the order they were made \
             (a queue is first in, first out)",
            i + 1,
            i + 1,
        );
    }
    let makes: Vec<String> = (1..=n).map(|k| format!("make({k})")).collect();
    let consumes: Vec<String> = (1..=n).map(|k| format!("consume({k})")).collect();
    assert_each_once(&Trace::from_spans(run.makes()), &makes, "jobs made");
    assert_each_once(&Trace::from_spans(run.consumes()), &consumes, "jobs consumed");
    assert_inside(&run.trace, &run.called, "jobs made and consumed", "produce_and_consume");
}

#[test]
fn queue_never_holds_more_than_its_capacity() {
    let run = run();
    let ahead = ahead_at_each_make(&run);
    let Some((job, &(most, started))) = ahead.iter().enumerate().max_by_key(|(_, (a, _))| *a)
    else {
        panic!("`produce` was never called");
    };
    let (capacity, limit) = (run.capacity, run.most_ahead());
    assert!(
        most <= limit,
        "when job {} was made, {most} jobs had been made that the consumer had not started \
         yet (it had started {started}). With a queue of capacity {capacity} there can be at \
         most {limit}: {capacity} waiting in the queue, one the producer is trying to send, one \
         the consumer has just taken. Is the queue really bounded? An unbounded channel lets \
         the producer run as far ahead as it likes.{}",
        job + 1,
        run.picture()
    );
}

#[test]
fn producer_waits_while_the_queue_is_full() {
    let run = run();
    let ahead = ahead_at_each_make(&run);
    let Some(&(_, started)) = ahead.last() else {
        panic!("`produce` was never called");
    };
    let (n, capacity) = (run.jobs(), run.capacity);
    let must_have_started = n.saturating_sub(run.most_ahead());
    assert!(
        started >= must_have_started,
        "the producer made its last job when the consumer had started only {started} of the \
         {n}: it never waited for room in the queue. With a capacity of {capacity}, sending \
         into a full queue must block until the consumer takes a job, so the last job can only \
         be made once the consumer has started job {must_have_started} or later.{}",
        run.picture()
    );
}

#[test]
fn queue_fills_up_to_its_capacity() {
    let run = run();
    let most = ahead_at_each_make(&run)
        .iter()
        .map(|(a, _)| *a)
        .max()
        .unwrap_or(0);
    let capacity = run.capacity;
    assert!(
        most >= capacity,
        "the producer never got more than {most} job(s) ahead of the consumer, though the \
         queue may hold {capacity} and the producer is three times as fast: a fast producer \
         should fill the queue and only then wait. Does the queue really have room for \
         {capacity} jobs?{}",
        run.picture()
    );
}

#[test]
fn producer_and_consumer_run_at_the_same_time() {
    let run = run();
    let n = run.jobs();
    assert_inside(&run.trace, &run.called, "jobs made and consumed", "produce_and_consume");
    let caller = &run.called.value.1;
    let makes = run.makes();
    let on_caller = makes.iter().filter(|s| &s.thread == caller).count();
    assert!(
        on_caller == 0,
        "{on_caller} of the {n} jobs were made on the thread that called produce_and_consume, \
         which is the consumer's: the producer needs a thread of its own, so that it makes \
         jobs while the consumer consumes{}",
        run.picture()
    );
    let consumes = run.consumes();
    let overlapping = makes
        .iter()
        .filter(|m| {
            consumes
                .iter()
                .any(|c| c.start_us < m.end_us && m.start_us < c.end_us)
        })
        .count();
    assert!(
        overlapping * 2 >= n,
        "only {overlapping} of the {n} jobs were made while the consumer was consuming \
         another: producer and consumer took turns instead of working at the same time{}",
        run.picture()
    );
    // Two threads can beat one after another by the making time at best (about a quarter), so
    // no nominal bound is generous: the bound is what the spans themselves add up to in this
    // run, which a busy machine stretches as it stretches the call. Work done in turns (the
    // spans lie inside the call, one after another) can never finish under it.
    let nominal = (MAKE + CONSUME) * n as u32;
    let sequential = nominal.max(run.trace.busy());
    assert_wall_below(
        run.called.elapsed(),
        sequential,
        sequential,
        &format!("produce_and_consume of {n} jobs (8 ms to make, 25 ms to consume)"),
    );
}
