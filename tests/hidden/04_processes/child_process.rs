//! Hidden checks for `04_processes/child_process`.
//!
//! The children are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program square <n>`. Their `slow_square` calls report to the check's bench through its
//! witness socket, which the kernel tells the caller's pid of, so the check sees which
//! processes did the work and when. `tests/variants/04_processes/` holds the wrong versions
//! the timing and cleanup checks must reject.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{
    assert_distinct_pids_at_least, assert_peak_overlap_at_least, panic_message,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::{square_in_child, squares_in_children, LIMIT};

/// Four children of 100 ms each: together ~100 ms plus start-up, one after another 400 ms.
const NUMBERS: [u64; 4] = [3, 14, 15, 92];
/// A child that has not answered by then is stuck, or waited for something that never comes.
const DEADLINE: Duration = Duration::from_secs(5);

/// Points the children's trace at a fresh file, runs `f` under the deadline, and returns its
/// value with the trace of the work the children did.
fn run_traced<T: Send + 'static>(what: &'static str, f: impl FnOnce() -> T + Send + 'static) -> (T, Trace) {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let value = within_deadline(what, f);
    let trace = bench.trace();
    (value, trace)
}

/// Runs `f` on its own thread, so a call that never returns fails with a message instead of
/// being killed by the time limit; a panic in `f` is reported with its own message.
fn within_deadline<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        // If the receiver is gone the check has already failed; nothing left to tell.
        let _ = done_tx.send(f());
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("{what} panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not return within {DEADLINE:?}; each child needs about 100 ms. Is it \
             waiting for a child that waits for something itself?"
        ),
    }
}

fn run_children() -> (Vec<u64>, Trace) {
    let program = exercise_program();
    let (squares, trace) = run_traced("squares_in_children", move || {
        squares_in_children(&program, &NUMBERS)
    });
    let squares = squares.unwrap_or_else(|error| {
        panic!("squares_in_children(&program, &{NUMBERS:?}) returned an error: {error}")
    });
    (squares, trace)
}

#[test]
fn a_child_squares_a_number() {
    let program = exercise_program();
    let (square, trace) = run_traced("square_in_child", move || square_in_child(&program, 12));
    match square {
        Ok(144) => {}
        Ok(other) => panic!("square_in_child(&program, 12) returned {other}; expected 144"),
        Err(error) => panic!("square_in_child(&program, 12) returned an error: {error}"),
    }
    let me = std::process::id();
    let pids: Vec<u32> = trace.spans().iter().map(|span| span.pid).collect();
    if pids.is_empty() || pids.contains(&me) {
        panic!(
            "the square must be worked out by the child (`program square 12`), not by your \
             function: slow_square ran in processes {pids:?}, and this process is {me}"
        );
    }
}

#[test]
fn a_failing_child_is_an_error() {
    let program = exercise_program();
    let too_large = LIMIT + 1;
    let (square, _trace) =
        run_traced("square_in_child", move || square_in_child(&program, too_large));
    match square {
        Ok(square) => panic!(
            "square_in_child(&program, {too_large}) returned Ok({square}), but that child exits \
             with code 3 and prints nothing on stdout: check its exit status"
        ),
        Err(error) if error.to_string().contains("too large") => {}
        Err(error) => panic!(
            "square_in_child(&program, {too_large}) returned the error \"{error}\"; it should \
             include what the child wrote on stderr (\"{too_large} is too large to square …\"), \
             which tells the user why it failed"
        ),
    }
}

#[test]
fn children_return_their_squares_in_order() {
    let (squares, _trace) = run_children();
    let expected: Vec<u64> = NUMBERS.iter().map(|n| n * n).collect();
    assert_eq!(
        squares, expected,
        "squares_in_children(&program, &{NUMBERS:?}) returned {squares:?}; expected \
         {expected:?}, one square per number, in the order of the numbers"
    );
}

#[test]
fn children_run_at_the_same_time() {
    let (_squares, trace) = run_children();
    assert_distinct_pids_at_least(&trace, NUMBERS.len(), "squarings");
    assert_peak_overlap_at_least(&trace, NUMBERS.len(), "squarings");
}

#[test]
fn every_child_is_waited_for() {
    let _ = run_children();
    assert_no_children();
}
