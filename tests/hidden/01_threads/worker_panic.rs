//! Hidden checks for `01_threads/worker_panic`.
//!
//! `inspect` is a traced 200 ms sleep in the check's bench that then panics on multiples
//! of 13; its span is recorded before the panic, so a faulty part still shows on the timeline.
//! The checks want every part reported in order (`Ok` with the score, `Err` with the panic's
//! message), and all parts inspected at once. `tests/variants/01_threads/` holds a version that
//! survives panics with `catch_unwind` but inspects one part after another.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{assert_peak_overlap_at_least, panic_message};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::*;

/// Parts 13 and 26 are faulty.
const MIXED: [u64; 6] = [4, 13, 8, 15, 26, 16];
/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// Calls `inspect_all(parts)` with a fresh bench, on a thread of its own so that a
/// call that never returns, or that panics, fails with a message.
fn run(parts: &[u64]) -> (Vec<Result<u64, String>>, Trace) {
    let bench = Bench::start();
    let parts = parts.to_vec();
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = done_tx.send(inspect_all(&parts));
    });
    let results = match done_rx.recv_timeout(DEADLINE) {
        Ok(results) => results,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!(
                "inspect_all itself panicked, so every result was lost: {}. A worker's panic \
                 comes back from `join()` as an `Err`; unwrapping it panics again, here.",
                panic_message(&*panic)
            ),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "inspect_all did not return within {DEADLINE:?}: is it waiting for a \
                 worker that never ends?"
            )
        }
    };
    (results, bench.trace())
}

#[track_caller]
fn assert_one_per_part(parts: &[u64], results: &[Result<u64, String>]) {
    assert!(
        results.len() == parts.len(),
        "inspect_all({parts:?}) returned {} results for {} parts: {results:?}; it must return \
         exactly one per part",
        results.len(),
        parts.len()
    );
}

#[test]
fn good_parts_are_all_ok() {
    let parts = [4, 8, 15, 16];
    let (results, _) = run(&parts);
    assert_one_per_part(&parts, &results);
    let expected: Vec<Result<u64, String>> = parts.iter().map(|p| Ok(p * 10)).collect();
    assert!(
        results == expected,
        "inspect_all({parts:?}) returned {results:?}, expected {expected:?}"
    );
}

#[test]
fn a_panicking_worker_is_reported_with_its_message() {
    let (results, _) = run(&MIXED);
    assert_one_per_part(&MIXED, &results);
    for (part, result) in MIXED.iter().zip(&results) {
        if part % 13 != 0 {
            continue;
        }
        let wanted = format!("part {part} is faulty");
        match result {
            Err(message) if message.contains(&wanted) => {}
            Err(message) => panic!(
                "part {part} is reported as Err({message:?}), but its worker panicked with \
                 \"{wanted}\": report the panic's own message. It is in the `Err` that \
                 `join()` returns; `downcast_ref::<String>()` gets it out."
            ),
            Ok(value) => panic!(
                "part {part} is reported as Ok({value}), but its worker panicked with \"{wanted}\""
            ),
        }
    }
}

#[test]
fn the_other_workers_keep_their_results() {
    let (results, _) = run(&MIXED);
    assert_one_per_part(&MIXED, &results);
    for (part, result) in MIXED.iter().zip(&results) {
        if part % 13 != 0 && *result != Ok(part * 10) {
            panic!(
                "part {part} is fine and should be Ok({}), but inspect_all({MIXED:?}) reported it \
                 as {result:?}. All results: {results:?}",
                part * 10
            );
        }
    }
}

#[test]
fn every_part_is_reported_even_if_all_panic() {
    let parts = [13, 26, 39];
    let (results, _) = run(&parts);
    assert_one_per_part(&parts, &results);
    assert!(
        results.iter().all(|r| r.is_err()),
        "every part of {parts:?} is faulty, but inspect_all returned {results:?}"
    );
}

#[test]
fn parts_are_inspected_at_the_same_time() {
    let (_, trace) = run(&MIXED);
    assert_peak_overlap_at_least(&trace, MIXED.len(), "inspections");
}
