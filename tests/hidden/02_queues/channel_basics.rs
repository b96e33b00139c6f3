//! Hidden checks for `02_queues/channel_basics`.
//!
//! Every square is a traced sleep of 50 ms, so the 6 squares cost 300 ms one after another.
//! The checks receive with a timeout (a channel that never closes must fail with a message,
//! not hang) and compare when things happened: when `squares_in_background` returned, when
//! each square was computed, when the check received it.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use concur_kit::check::{panic_message, TIMELINE_WIDTH};
use concur_kit::trace::{now_us, Trace};
use concur_kit::trace::traced;

use crate::exercise::squares_in_background;

const NUMBERS: u64 = 6;
const WORK: Duration = Duration::from_millis(50);
/// How long the check waits for one square before it gives up.
const PATIENCE: Duration = Duration::from_secs(3);

struct Started {
    receiver: Receiver<u64>,
    trace: Trace,
    /// When `squares_in_background` returned, in trace microseconds.
    returned_us: u64,
}

fn start() -> Started {
    let trace = Trace::new();
    let recorder = trace.clone();
    let square = move |n: u64| traced(&recorder, format!("square({n})"), WORK, || n * n);
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let receiver = squares_in_background((1..=NUMBERS).collect(), square);
        let _ = tx.send((receiver, now_us()));
    });
    match rx.recv_timeout(PATIENCE) {
        Ok((receiver, returned_us)) => Started { receiver, trace, returned_us },
        Err(RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("squares_in_background panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(RecvTimeoutError::Timeout) => panic!(
            "squares_in_background did not return within {PATIENCE:?}: it should start the \
             work on another thread and return the receiver straight away"
        ),
    }
}

/// Receives the 6 squares with their arrival times; panics with what was seen if one is late.
fn receive_all(started: &Started) -> Vec<(u64, u64)> {
    let mut got = Vec::new();
    for _ in 0..NUMBERS {
        match started.receiver.recv_timeout(PATIENCE) {
            Ok(square) => got.push((square, now_us())),
            Err(RecvTimeoutError::Timeout) => panic!(
                "after {} square(s) {:?}, nothing arrived for {PATIENCE:?}; 6 were expected",
                got.len(),
                got.iter().map(|(s, _)| *s).collect::<Vec<_>>()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the channel closed after {} square(s) {:?}; 6 were expected — did the \
                 thread stop early, or panic?",
                got.len(),
                got.iter().map(|(s, _)| *s).collect::<Vec<_>>()
            ),
        }
    }
    got
}

#[test]
fn every_square_arrives_in_order() {
    let started = start();
    let got: Vec<u64> = receive_all(&started).into_iter().map(|(s, _)| s).collect();
    let expected: Vec<u64> = (1..=NUMBERS).map(|n| n * n).collect();
    assert_eq!(got, expected, "the squares arrived as {got:?}; expected {expected:?}");
}

#[test]
fn channel_closes_after_the_last_square() {
    let started = start();
    receive_all(&started);
    match started.receiver.recv_timeout(PATIENCE) {
        Err(RecvTimeoutError::Disconnected) => {}
        Ok(extra) => panic!("after the 6 squares, the channel still delivered {extra}"),
        Err(RecvTimeoutError::Timeout) => panic!(
            "all 6 squares arrived, but the channel was still open {PATIENCE:?} later, so a \
             `for square in receiver` loop would wait forever. A channel closes when every \
             Sender is dropped: is one still alive somewhere?"
        ),
    }
}

#[test]
fn returns_before_the_work_is_done() {
    let started = start();
    receive_all(&started);
    let done_before = started
        .trace
        .spans()
        .iter()
        .filter(|s| s.end_us <= started.returned_us)
        .count();
    assert!(
        done_before < NUMBERS as usize,
        "squares_in_background returned only after all {done_before} squares were computed; \
         it should hand back the receiver at once and let the thread do the work \
         meanwhile.\n\ntimeline:\n{}",
        started.trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn each_square_is_sent_as_soon_as_it_is_ready() {
    let started = start();
    let got = receive_all(&started);
    let spans = started.trace.spans();
    let last_computed = spans.iter().map(|s| s.end_us).max().unwrap_or(0);
    let first_received = got.first().map(|(_, at)| *at).unwrap_or(u64::MAX);
    assert!(
        spans.len() == NUMBERS as usize && first_received < last_computed,
        "the first square reached the receiver only after all {} squares had been computed: \
         nothing arrived while the work went on. Send each square as soon as `square` returns \
         it.\n\ntimeline:\n{}",
        spans.len(),
        started.trace.timeline(TIMELINE_WIDTH)
    );
}
