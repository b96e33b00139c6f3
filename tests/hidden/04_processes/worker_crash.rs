//! Hidden checks for `04_processes/worker_crash`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`, whose given `compute` makes the worker exit with code 3 on n = 13. The
//! job list holds one such job, ninth of twelve: by then every worker has done some work, the
//! others are busy, and jobs are still queued. Each finished job reports a span to the check's
//! bench through its witness socket, so the check sees which processes did the work and when.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{
    assert_all_once, assert_distinct_pids_at_least, assert_peak_overlap_at_least, panic_message,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::{run_pool, Job, PoolReport};

const WORKERS: usize = 4;
/// The job the worker crashes on: id 9, n = 13.
const CRASHING_ID: u64 = 9;
/// Ideal: 3 rounds of 100 ms plus process start-ups; a pool that has not returned by then is
/// stuck, most likely waiting for an answer a dead worker will never send.
const DEADLINE: Duration = Duration::from_secs(6);

/// Twelve jobs, n = 5..=16; n = 13 (id 9) crashes its worker.
fn jobs() -> Vec<Job> {
    (1..=12).map(|id| Job { id, n: id + 4 }).collect()
}

/// Runs the learner's pool on `jobs()` and returns its results and the trace of the work
/// its worker processes did.
fn run_traced() -> (PoolReport, Trace) {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let results = within_deadline(move || run_pool(&program, &jobs(), WORKERS))
        .unwrap_or_else(|error| panic!("run_pool returned an error: {error}"));
    let trace = bench.trace();
    (results, trace)
}

/// Runs `f` on its own thread, so a pool that never returns fails with a message instead of
/// being killed by the time limit; a panic in `f` is reported with its own message.
fn within_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        // If the receiver is gone the check has already failed; nothing left to tell.
        let _ = done_tx.send(f());
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("run_pool panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "run_pool did not return within {DEADLINE:?}. Is it waiting for a worker that is \
             itself waiting for more input, or for an answer from a worker that has died? A read \
             from a dead worker's stdout returns end of file (0 bytes) at once."
        ),
    }
}

#[test]
fn every_other_job_has_its_result() {
    let (report, _trace) = run_traced();
    let got: Vec<(u64, u64)> = report.results.iter().map(|r| (r.id, r.result)).collect();
    let expected: Vec<(u64, u64)> = jobs()
        .iter()
        .filter(|job| job.id != CRASHING_ID)
        .map(|job| (job.id, job.n * job.n))
        .collect();
    assert_all_once(
        &got,
        &expected,
        "(id, result) pairs in PoolReport::results, 12 jobs of which job 9 crashes its worker \
         (a crash must cost only its own job)",
    );
}

#[test]
fn the_crashed_job_is_reported_as_failed() {
    let (report, _trace) = run_traced();
    if report.failed != [CRASHING_ID] {
        panic!(
            "PoolReport::failed is {:?}; expected [{CRASHING_ID}]: job {CRASHING_ID} (n = 13) \
             makes its worker exit with code 3 before answering, and it is the only one",
            report.failed
        );
    }
}

#[test]
fn workers_run_at_the_same_time() {
    let (_report, trace) = run_traced();
    assert_distinct_pids_at_least(&trace, WORKERS, "slow_square calls");
    assert_peak_overlap_at_least(&trace, WORKERS, "slow_square calls");
}

#[test]
fn every_worker_is_waited_for() {
    let _ = run_traced();
    assert_no_children();
}
