//! Hidden checks for `01_threads/spawn_and_join`.
//!
//! `slow_square` is a traced 100 ms sleep recorded in the check's bench, so squaring the
//! 8 numbers one after another costs exactly 800 ms. The checks judge the trace (every number
//! on its own thread, all 8 at once) and, generously, the wall time. `tests/variants/01_threads/`
//! holds a version that joins each thread right after spawning it and one that uses a single
//! thread; each timing check rejects at least one of them.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::check::{
    assert_distinct_threads_at_least, assert_peak_overlap_at_least, assert_wall_below,
    panic_message,
};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;
use concur_kit::workload::LATENCY;

use crate::exercise::*;

const NUMBERS: [u64; 8] = [3, 1, 4, 1, 5, 9, 2, 6];
/// Far above the ideal 100 ms of 8 overlapping squares, far below the 800 ms of one at a time.
const WALL_BOUND: Duration = Duration::from_millis(500);
/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    result: Vec<u64>,
    trace: Trace,
    elapsed: Duration,
}

/// Calls `squares(numbers)` with a fresh bench, on a thread of its own so that a call
/// that never returns fails with a message.
fn run(numbers: &[u64]) -> Run {
    let bench = Bench::start();
    let numbers = numbers.to_vec();
    let (done_tx, done_rx) = mpsc::channel();
    let started = Instant::now();
    let runner = thread::spawn(move || {
        let _ = done_tx.send(squares(&numbers));
    });
    let result = match done_rx.recv_timeout(DEADLINE) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("squares panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "squares did not return within {DEADLINE:?}: is it waiting for a thread \
                 that never ends?"
            )
        }
    };
    Run {
        result,
        trace: bench.trace(),
        elapsed: started.elapsed(),
    }
}

#[test]
fn squares_come_back_in_the_order_of_the_numbers() {
    let run = run(&NUMBERS);
    let expected: Vec<u64> = NUMBERS.iter().map(|n| n * n).collect();
    assert!(
        run.result == expected,
        "squares({NUMBERS:?}) returned {:?}, expected {expected:?}: the i-th square must belong \
         to the i-th number, whichever thread finishes first",
        run.result
    );
}

#[test]
fn every_number_is_squared_on_its_own_thread() {
    let run = run(&NUMBERS);
    assert_distinct_threads_at_least(&run.trace, NUMBERS.len(), "squarings");
}

#[test]
fn all_numbers_are_squared_at_the_same_time() {
    let run = run(&NUMBERS);
    assert_peak_overlap_at_least(&run.trace, NUMBERS.len(), "squarings");
}

#[test]
fn faster_than_one_number_after_another() {
    let run = run(&NUMBERS);
    let sequential = LATENCY * NUMBERS.len() as u32;
    assert_wall_below(
        run.elapsed,
        WALL_BOUND,
        sequential,
        "squaring 8 numbers of 100 ms each",
    );
}

#[test]
fn no_numbers_give_no_squares() {
    let run = run(&[]);
    assert!(
        run.result.is_empty(),
        "squares(&[]) returned {:?}, expected []",
        run.result
    );
}
