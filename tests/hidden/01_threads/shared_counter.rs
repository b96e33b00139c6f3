//! Hidden checks for `01_threads/shared_counter`.
//!
//! Every page is a traced 40 ms sleep in the check's bench: 4 workers × 4 pages cost
//! 640 ms one after another and about 160 ms when the workers overlap. The count must be exact;
//! the trace must show all 4 workers busy at once, and the wall time is bounded generously.
//! `tests/variants/01_threads/` holds a version that holds the lock while serving (the workers
//! take turns) and one that counts into copies of a plain counter.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::check::{assert_peak_overlap_at_least, assert_wall_below, panic_message};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::*;

const WORKERS: usize = 4;
const PAGES: usize = 4;
const PAGE_TIME: Duration = Duration::from_millis(40);
/// Three times the ideal 160 ms of overlapping workers, well below the 640 ms of one at a time.
const WALL_BOUND: Duration = Duration::from_millis(480);
/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    served: u64,
    trace: Trace,
    elapsed: Duration,
}

/// Calls `serve_and_count` with a fresh bench, on a thread of its own so that a call
/// that never returns fails with a message.
fn run(workers: usize, pages: usize) -> Run {
    let bench = Bench::start();
    let (done_tx, done_rx) = mpsc::channel();
    let started = Instant::now();
    let runner = thread::spawn(move || {
        let _ = done_tx.send(serve_and_count(workers, pages));
    });
    let served = match done_rx.recv_timeout(DEADLINE) {
        Ok(served) => served,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("serve_and_count panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "serve_and_count({workers}, {pages}) did not return within {DEADLINE:?}: is a worker \
             waiting for a lock that is never released?"
        ),
    };
    Run {
        served,
        trace: bench.trace(),
        elapsed: started.elapsed(),
    }
}

#[track_caller]
fn assert_count(workers: usize, pages: usize) {
    let run = run(workers, pages);
    let expected = (workers * pages) as u64;
    let pages_served = run.trace.len();
    let why = if run.served == 0 && expected > 0 {
        " Did each thread count into its own copy of the counter? A `move` closure copies a \
         plain number; the threads must share one counter."
    } else {
        ""
    };
    assert!(
        run.served == expected,
        "serve_and_count({workers}, {pages}) returned {}, but {pages_served} pages were served \
         ({workers} × {pages} = {expected}).{why}",
        run.served
    );
}

#[test]
fn counter_reaches_the_exact_total() {
    assert_count(WORKERS, PAGES);
}

#[test]
fn counter_is_exact_for_other_sizes() {
    for (workers, pages) in [(1, 3), (8, 2), (3, 0)] {
        assert_count(workers, pages);
    }
}

#[test]
fn workers_serve_pages_at_the_same_time() {
    let run = run(WORKERS, PAGES);
    assert_peak_overlap_at_least(&run.trace, WORKERS, "pages");
}

#[test]
fn faster_than_one_worker_after_another() {
    let run = run(WORKERS, PAGES);
    let sequential = PAGE_TIME * (WORKERS * PAGES) as u32;
    assert_wall_below(
        run.elapsed,
        WALL_BOUND,
        sequential,
        "4 workers serving 4 pages of 40 ms each",
    );
}
