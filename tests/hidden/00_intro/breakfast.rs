//! Hidden checks for `00_intro/breakfast`.
//!
//! `make_coffee` (400 ms) and `make_toast` (300 ms) are traced sleeps recorded in the check's
//! bench, so the checks judge facts of the trace: both jobs ran, both had ended when
//! `breakfast` returned, and they overlapped (peak overlap 2). Waiting needs no CPU, so this
//! holds on any machine, however busy. `tests/variants/00_intro/` holds a breakfast that
//! joins each thread before starting the next and one that never joins.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{assert_peak_overlap_at_least, panic_message, TIMELINE_WIDTH};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::*;

/// A breakfast that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);
/// How long to wait for jobs that were still running when `breakfast` returned.
const SETTLE: Duration = Duration::from_secs(2);

/// Runs `breakfast` with the bench recording and returns the spans recorded by the time it
/// returned.
fn run_breakfast(bench: &Bench) -> Trace {
    let live = bench.live();
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        breakfast();
        // Snapshot at the moment of return, before any straggler can add to it.
        let _ = done_tx.send(Trace::from_spans(live.spans()));
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok(trace) => trace,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("breakfast panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "breakfast did not return within {DEADLINE:?}: is it waiting for something \
                 that never happens?"
            )
        }
    }
}

/// Every span recorded once jobs still running after `breakfast` returned had time to end.
fn settled_trace() -> Trace {
    let bench = Bench::start();
    run_breakfast(&bench);
    bench.settle(2, SETTLE)
}

fn count(trace: &Trace, label: &str) -> usize {
    trace.spans().iter().filter(|s| s.label == label).count()
}

#[test]
fn coffee_and_toast_are_each_made_once() {
    let trace = settled_trace();
    for job in ["make coffee", "make toast"] {
        let n = count(&trace, job);
        assert!(
            n == 1,
            "`{job}` ran {n} times; breakfast should call it exactly once.\n\ntimeline:\n{}",
            trace.timeline(TIMELINE_WIDTH)
        );
    }
}

#[test]
fn both_are_ready_when_breakfast_returns() {
    let bench = Bench::start();
    let at_return = run_breakfast(&bench);
    for job in ["make coffee", "make toast"] {
        assert!(
            count(&at_return, job) > 0,
            "breakfast returned while `{job}` had not finished yet. A spawned thread runs on \
             its own: call `join()` on its handle to wait for it before returning."
        );
    }
}

#[test]
fn coffee_and_toast_are_made_at_the_same_time() {
    let trace = settled_trace();
    assert_peak_overlap_at_least(&trace, 2, "breakfast jobs");
}
