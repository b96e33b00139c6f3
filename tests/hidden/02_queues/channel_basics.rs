//! Hidden checks for `02_queues/channel_basics`.
//!
//! Every run draws 5–7 different numbers in random order (seeded, replayable with
//! `concur verify channel_basics --seed N`). The `square` the check hands out sleeps 50 ms in a
//! traced span `square(n)` and returns a value only this run knows (`Inputs::salt`), so the
//! values received prove that `square` really ran on each number, once, in order. The checks
//! receive with a timeout (a channel that never closes fails with a message, not a hang) and
//! compare when things happened: when `squares_in_background` returned, where and when each
//! square was computed, when the check received it.
//!
//! Which wrong variant (`tests/variants/02_queues/channel_basics_*.rs`) bites which check:
//! - `every_square_arrives_in_order`: `_squares_itself` (sends `n * n`, never calls `square`),
//!   `_sorted` (squares the numbers in ascending order);
//! - `returns_before_the_work_is_done`: `_blocking` (does the work before returning);
//! - `squares_are_computed_on_one_background_thread`: `_blocking` (on the caller's thread),
//!   `_squares_itself` (no work at all);
//! - `each_square_is_sent_as_soon_as_it_is_ready`: `_blocking`, `_collect_first` (computes
//!   every square before sending any), `_squares_itself`;
//! - `channel_closes_after_the_last_square`: `_sender_kept` (a clone of the sender outlives
//!   the thread).

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use concur_kit::call::call;
use concur_kit::check::assert_each_once;
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::{now_us, traced, Trace};

use crate::exercise::squares_in_background;

const WORK: Duration = Duration::from_millis(50);
/// How long a square may take from `square` returning it to the receiver: a send and a wake-up,
/// with room for a busy machine; holding even one square back for the next costs `WORK`
/// more, collecting them first far more.
const LAG: Duration = Duration::from_millis(100);
/// How long the check waits for `squares_in_background` to return, and for one square.
const PATIENCE: Duration = Duration::from_secs(3);

struct Started {
    receiver: Receiver<u64>,
    trace: Trace,
    /// The numbers handed in, and what `square` returns for each, in that order.
    numbers: Vec<u64>,
    expected: Vec<u64>,
    /// When `squares_in_background` returned, in trace microseconds.
    returned_us: u64,
    /// The thread that called `squares_in_background`.
    caller: String,
}

impl Started {
    fn labels(&self) -> Vec<String> {
        self.numbers.iter().map(|n| format!("square({n})")).collect()
    }
}

fn thread_name() -> String {
    format!("{:?}", std::thread::current().id())
}

fn start() -> Started {
    let mut inputs = Inputs::new();
    let count = inputs.between(5, 7) as usize;
    let mut numbers = inputs.distinct(count, 2, 999);
    if numbers.is_sorted() {
        // Never in ascending order, so code that sorts them cannot pass by chance.
        numbers.swap(0, 1);
    }
    let answers: HashMap<u64, u64> = numbers.iter().map(|&n| (n, inputs.salt(n))).collect();
    let expected = numbers.iter().map(|n| answers[n]).collect();
    let trace = Trace::new();
    let recorder = trace.clone();
    let square = move |n: u64| {
        let answer = answers.get(&n).copied().unwrap_or_default();
        traced(&recorder, format!("square({n})"), WORK, || answer)
    };
    let handed = numbers.clone();
    let called = call("squares_in_background", PATIENCE, move || {
        (squares_in_background(handed, square), thread_name())
    });
    let (receiver, caller) = called.value;
    Started {
        receiver,
        trace,
        numbers,
        expected,
        returned_us: called.end_us,
        caller,
    }
}

/// Receives one value per number with its arrival time; panics with what was seen if one is
/// late or the channel closes early.
fn receive_all(started: &Started) -> Vec<(u64, u64)> {
    let n = started.numbers.len();
    let mut got = Vec::new();
    for _ in 0..n {
        match started.receiver.recv_timeout(PATIENCE) {
            Ok(square) => got.push((square, now_us())),
            Err(RecvTimeoutError::Timeout) => panic!(
                "after {} value(s), nothing arrived for {}; {n} were expected (one per number) \
                 — `square` was called {} time(s) so far",
                got.len(),
                secs(PATIENCE),
                started.trace.len(),
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the channel closed after {} value(s); {n} were expected (one per number) — \
                 did the thread stop early, or panic?",
                got.len(),
            ),
        }
    }
    got
}

/// Fails when `square` was never called: nothing then says where or when the work was done.
fn require_calls(started: &Started) {
    assert!(
        !started.trace.is_empty(),
        "`square` was never called: the values sent must be the ones `square` returns"
    );
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

#[test]
fn every_square_arrives_in_order() {
    let started = start();
    let got: Vec<u64> = receive_all(&started).into_iter().map(|(s, _)| s).collect();
    let numbers = &started.numbers;
    if let Some(i) = (0..got.len()).find(|&i| got[i] != started.expected[i]) {
        let n = numbers[i];
        let why = if got[i] == n.wrapping_mul(n) {
            format!(
                "that is {n} × {n}, computed without `square`: send what `square({n})` \
                 returns"
            )
        } else if let Some(j) = started.expected.iter().position(|&e| e == got[i]) {
            format!(
                "that is what `square({})` returned, the square of number {} of the list: send \
                 them in the order of `numbers`",
                numbers[j],
                j + 1
            )
        } else {
            "which `square` never returned".to_string()
        };
        panic!(
            "value {} received was {}, but `square({n})` returned {} for number {} of \
             {numbers:?}; {why}",
            i + 1,
            got[i],
            started.expected[i],
            i + 1,
        );
    }
    assert_each_once(&started.trace, &started.labels(), "calls of `square`");
}

#[test]
fn channel_closes_after_the_last_square() {
    let started = start();
    receive_all(&started);
    let n = started.numbers.len();
    match started.receiver.recv_timeout(PATIENCE) {
        Err(RecvTimeoutError::Disconnected) => {}
        Ok(extra) => panic!("after the {n} squares, the channel still delivered {extra}"),
        Err(RecvTimeoutError::Timeout) => panic!(
            "all {n} squares arrived, but the channel was still open {} later, so a `for \
             square in receiver` loop would wait forever. A channel closes when every Sender \
             is dropped: is one still alive somewhere?",
            secs(PATIENCE)
        ),
    }
}

#[test]
fn returns_before_the_work_is_done() {
    let started = start();
    receive_all(&started);
    let n = started.numbers.len();
    let done_before = started
        .trace
        .spans()
        .iter()
        .filter(|s| s.end_us <= started.returned_us)
        .count();
    // One square may finish before the return on a machine that is very busy; more cannot.
    assert!(
        done_before <= 1,
        "squares_in_background returned only after {done_before} of the {n} squares had been \
         computed: it should hand back the receiver at once and let the thread do the work \
         meanwhile.{}",
        picture(&started.trace, "calls of `square`")
    );
}

#[test]
fn squares_are_computed_on_one_background_thread() {
    let started = start();
    receive_all(&started);
    require_calls(&started);
    let trace = &started.trace;
    let n = started.numbers.len();
    let spans = trace.spans();
    let on_caller = spans.iter().filter(|s| s.thread == started.caller).count();
    assert!(
        on_caller == 0,
        "{on_caller} of the {n} squares were computed on the thread that called \
         squares_in_background, not on a thread of their own{}",
        picture(trace, "calls of `square`")
    );
    let threads = trace.distinct_threads();
    let peak = trace.peak_overlap();
    assert!(
        threads == 1 && peak <= 1,
        "the {n} squares were computed on {threads} threads, up to {peak} at the same time; \
         the task is one background thread that squares the numbers one after another{}",
        picture(trace, "calls of `square`")
    );
}

#[test]
fn each_square_is_sent_as_soon_as_it_is_ready() {
    let started = start();
    let got = receive_all(&started);
    require_calls(&started);
    let n = started.numbers.len();
    let computed: HashMap<String, u64> = started
        .trace
        .spans()
        .into_iter()
        .map(|s| (s.label, s.end_us))
        .collect();
    // How long each value waited between `square` returning it and the check receiving it.
    let waits = got.iter().filter_map(|(value, at)| {
        let i = started.expected.iter().position(|e| e == value)?;
        let done = computed.get(&format!("square({})", started.numbers[i]))?;
        Some((started.numbers[i], at.saturating_sub(*done)))
    });
    if let Some((number, waited)) = waits.max_by_key(|(_, waited)| *waited) {
        assert!(
            waited < LAG.as_micros() as u64,
            "the square of {number} reached the receiver {} ms after `square({number})` had \
             returned it (of the {n} squares, it waited longest): it sat unsent while other \
             work went on. Send each square as soon as `square` returns it.{}",
            waited / 1000,
            picture(&started.trace, "calls of `square`")
        );
    }
}
