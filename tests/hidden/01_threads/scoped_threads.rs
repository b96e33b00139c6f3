//! Hidden checks for `01_threads/scoped_threads`.
//!
//! `slow_sum` is a traced sleep of 25 ms per number in the check's bench, so summing
//! 1..=16 costs 400 ms on one thread and about 100 ms in 4 overlapping parts. The checks want
//! the exact sum (also for an empty slice and for more threads than numbers), 4 parts summed at
//! once, and, generously, the wall time. `tests/variants/01_threads/` holds a version that joins
//! each scoped thread before starting the next.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::check::{assert_peak_overlap_at_least, assert_wall_below, panic_message};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::*;

const THREADS: usize = 4;
/// Three times the ideal 100 ms of 4 overlapping parts, well below 400 ms on one thread.
const WALL_BOUND: Duration = Duration::from_millis(300);
/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    sum: u64,
    trace: Trace,
    elapsed: Duration,
}

fn one_to(n: u64) -> Vec<u64> {
    (1..=n).collect()
}

/// Calls `parallel_sum` with a fresh bench, on a thread of its own so that a call that
/// never returns fails with a message.
fn run(numbers: Vec<u64>, threads: usize) -> Run {
    let bench = Bench::start();
    let len = numbers.len();
    let (done_tx, done_rx) = mpsc::channel();
    let started = Instant::now();
    let runner = thread::spawn(move || {
        let _ = done_tx.send(parallel_sum(&numbers, threads));
    });
    let sum = match done_rx.recv_timeout(DEADLINE) {
        Ok(sum) => sum,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!(
                "parallel_sum of {len} numbers on {threads} threads panicked: {}",
                panic_message(&*panic)
            ),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "parallel_sum of {len} numbers on {threads} threads did not return \
                 within {DEADLINE:?}"
            )
        }
    };
    Run {
        sum,
        trace: bench.trace(),
        elapsed: started.elapsed(),
    }
}

#[track_caller]
fn assert_sum(n: u64, threads: usize) {
    let run = run(one_to(n), threads);
    let expected = n * (n + 1) / 2;
    assert!(
        run.sum == expected,
        "parallel_sum(1..={n}, {threads} threads) returned {}, expected {expected}. The parts \
         summed were: {:?} — together they must cover every number exactly once.",
        run.sum,
        run.trace
            .spans()
            .iter()
            .map(|s| s.label.as_str())
            .collect::<Vec<_>>()
    );
}

#[test]
fn sum_is_right() {
    assert_sum(16, THREADS);
    assert_sum(10, 3);
    assert_sum(7, 1);
}

#[test]
fn more_threads_than_numbers_still_sum_right() {
    assert_sum(3, 8);
}

#[test]
fn no_numbers_sum_to_zero() {
    let run = run(Vec::new(), THREADS);
    assert!(
        run.sum == 0,
        "parallel_sum of no numbers returned {}, expected 0",
        run.sum
    );
}

#[test]
fn parts_are_summed_at_the_same_time() {
    let run = run(one_to(16), THREADS);
    assert_peak_overlap_at_least(&run.trace, THREADS, "parts");
}

#[test]
fn faster_than_one_part_after_another() {
    let run = run(one_to(16), THREADS);
    assert_wall_below(
        run.elapsed,
        WALL_BOUND,
        Duration::from_millis(25 * 16),
        "summing 16 numbers of 25 ms each in 4 parts",
    );
}
