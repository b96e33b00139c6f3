//! Hidden checks for `02_queues/bounded_queue`.
//!
//! The producer makes 16 jobs instantly (each recorded as a zero-length `make(k)` span on
//! the producer's thread); consuming one is a traced sleep of 40 ms. From the trace the
//! checks rebuild, at every moment a job was made, how many jobs were made but not yet
//! taken by the consumer. A queue of capacity 4 allows at most 6 of them: 4 waiting, one in
//! the producer's hand trying to get in, one the consumer has just received.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{panic_message, TIMELINE_WIDTH};
use concur_kit::trace::{Span, Trace};
use concur_kit::trace::traced;

use crate::exercise::produce_and_consume;

const JOBS: u64 = 16;
const CAPACITY: usize = 4;
/// Made but not yet being consumed: the queue, plus one being sent, plus one just received.
const MOST_AHEAD: usize = CAPACITY + 2;
const CONSUME: Duration = Duration::from_millis(40);
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    consumed: Vec<u64>,
    trace: Trace,
}

fn run() -> Run {
    let trace = Trace::new();
    let (made, taken) = (trace.clone(), trace.clone());
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let mut next = 0;
        let produce = move || {
            next += 1;
            (next <= JOBS).then(|| made.record(format!("make({next})"), || next))
        };
        let mut consumed = Vec::new();
        let consume = |job: u64| traced(&taken, format!("consume({job})"), CONSUME, || consumed.push(job));
        produce_and_consume(CAPACITY, produce, consume);
        let _ = tx.send(consumed);
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(consumed) => Run { consumed, trace },
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("produce_and_consume panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "produce_and_consume did not return within {DEADLINE:?} ({} jobs made or consumed \
             so far). Does the consumer's loop end? It ends once the queue is empty and the \
             producer's sender has been dropped.\n\ntimeline:\n{}",
            trace.len(),
            trace.timeline(TIMELINE_WIDTH)
        ),
    }
}

fn starts(spans: &[Span], prefix: &str) -> Vec<u64> {
    spans.iter().filter(|s| s.label.starts_with(prefix)).map(|s| s.start_us).collect()
}

/// For each job made, in order: how many jobs were made but not yet being consumed right
/// after it, and how many the consumer had started by then.
fn ahead_at_each_make(trace: &Trace) -> Vec<(usize, usize)> {
    let spans = trace.spans();
    let made = starts(&spans, "make(");
    let consumed = starts(&spans, "consume(");
    made.iter()
        .enumerate()
        .map(|(i, &at)| {
            let started = consumed.iter().filter(|&&c| c < at).count();
            ((i + 1).saturating_sub(started), started)
        })
        .collect()
}

#[test]
fn every_job_is_consumed_once_in_order() {
    let run = run();
    let expected: Vec<u64> = (1..=JOBS).collect();
    assert_eq!(
        run.consumed, expected,
        "the consumer got {:?}; expected the 16 jobs in the order they were made",
        run.consumed
    );
}

#[test]
fn queue_never_holds_more_than_its_capacity() {
    let run = run();
    let ahead = ahead_at_each_make(&run.trace);
    let (job, &(most, started)) = ahead
        .iter()
        .enumerate()
        .max_by_key(|(_, (a, _))| *a)
        .expect("jobs were made");
    assert!(
        most <= MOST_AHEAD,
        "when job {} was made, {most} jobs had been made that the consumer had not started \
         yet (it had started {started}). With a queue of capacity {CAPACITY} there can be at \
         most {MOST_AHEAD}: {CAPACITY} waiting in the queue, one the producer is trying to \
         send, one the consumer has just taken. Is the queue really bounded? An unbounded \
         channel lets the producer run as far ahead as it likes.\n\ntimeline:\n{}",
        job + 1,
        run.trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn producer_waits_while_the_queue_is_full() {
    let run = run();
    let ahead = ahead_at_each_make(&run.trace);
    let (_, started) = *ahead.last().expect("jobs were made");
    let must_have_started = JOBS as usize - MOST_AHEAD;
    assert!(
        started >= must_have_started,
        "the producer made its last job when the consumer had started only {started} of the \
         {JOBS}: it never waited for room in the queue. With a capacity of {CAPACITY}, sending \
         into a full queue must block until the consumer takes a job, so the last job can only \
         be made once the consumer has started job {must_have_started} or \
         later.\n\ntimeline:\n{}",
        run.trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn queue_fills_up_to_its_capacity() {
    let run = run();
    let most = ahead_at_each_make(&run.trace).iter().map(|(a, _)| *a).max().unwrap_or(0);
    assert!(
        most >= CAPACITY,
        "the producer never got more than {most} job(s) ahead of the consumer, though the \
         queue may hold {CAPACITY}: a fast producer should fill the queue and only then wait. \
         Does the queue really have room for {CAPACITY} jobs?\n\ntimeline:\n{}",
        run.trace.timeline(TIMELINE_WIDTH)
    );
}
