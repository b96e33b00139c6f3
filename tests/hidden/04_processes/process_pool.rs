//! Hidden checks for `04_processes/process_pool`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`. Their `slow_square` calls report to the check's bench through its
//! witness socket, which the kernel tells the caller's pid of, so the check sees which
//! processes did the work and when. `tests/variants/04_processes/` holds a wrong pool each
//! timing and cleanup check must reject.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{
    assert_all_once, assert_distinct_pids_at_least, assert_peak_overlap_at_least, panic_message,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::{run_pool, Job, JobResult};

/// Three rounds of work for 4 workers: a worker that starts a little late still finds jobs
/// left to overlap with the others.
const JOBS: u64 = 12;
const WORKERS: usize = 4;
/// Ideal: 3 × 100 ms plus process start-up; a pool that has not returned by then is stuck.
const DEADLINE: Duration = Duration::from_secs(6);

fn jobs() -> Vec<Job> {
    (1..=JOBS).map(|id| Job { id, n: id + 10 }).collect()
}

fn expected(jobs: &[Job]) -> Vec<(u64, u64)> {
    jobs.iter().map(|job| (job.id, job.n * job.n)).collect()
}

/// Runs the learner's pool on `jobs()` and returns its results and the trace of the work
/// its worker processes did.
fn run_traced(workers: usize) -> (Vec<JobResult>, Trace) {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let results = within_deadline(move || run_pool(&program, &jobs(), workers))
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
             itself waiting for more input? A worker stops when its stdin is closed, and \
             stdin closes when the parent drops its end of the pipe."
        ),
    }
}

#[test]
fn results_are_correct() {
    let (results, _trace) = run_traced(WORKERS);
    let got: Vec<(u64, u64)> = results.iter().map(|r| (r.id, r.result)).collect();
    assert_all_once(&got, &expected(&jobs()), "(id, result) pairs from run_pool, 12 jobs on 4 workers");
}

#[test]
fn workers_are_separate_processes() {
    let (_results, trace) = run_traced(WORKERS);
    assert_distinct_pids_at_least(&trace, WORKERS, "slow_square calls");
}

#[test]
fn workers_run_at_the_same_time() {
    let (_results, trace) = run_traced(WORKERS);
    assert_peak_overlap_at_least(&trace, WORKERS, "slow_square calls");
}

#[test]
fn every_worker_is_waited_for() {
    let (_results, _trace) = run_traced(WORKERS);
    assert_no_children();
}
