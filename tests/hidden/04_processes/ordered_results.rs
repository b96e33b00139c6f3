//! Hidden checks for `04_processes/ordered_results`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`. Jobs take different times (150–400 ms) and the slowest comes first, so
//! a pool working in parallel finishes them out of order; the results must still come back
//! in the order of the jobs. Each job reports a span to the check's bench through its
//! witness socket, so the check sees which processes did the work and when.

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

const WORKERS: usize = 4;
/// (id, millis): ids in no order, the slowest job first. 1.9 s one after another, about
/// 0.6 s on 4 workers.
const JOBS: [(u64, u64); 8] =
    [(42, 400), (7, 150), (19, 350), (3, 200), (88, 150), (25, 300), (61, 200), (10, 150)];
/// Ideal: about 0.6 s plus process start-up; one worker alone needs 1.9 s.
const DEADLINE: Duration = Duration::from_secs(6);

fn jobs() -> Vec<Job> {
    JOBS.iter().map(|&(id, millis)| Job { id, n: id + 1, millis }).collect()
}

/// Runs the learner's pool on `jobs()` and returns its results and the trace of the work
/// its worker processes did.
fn run_traced() -> (Vec<JobResult>, Trace) {
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
             itself waiting for more input? A worker stops when its stdin is closed."
        ),
    }
}

/// Job ids in the order their work ended, from the trace.
fn finish_order(trace: &Trace) -> Vec<String> {
    let mut spans = trace.spans();
    spans.sort_by_key(|span| span.end_us);
    spans.into_iter().map(|span| span.label.trim_start_matches("job ").to_string()).collect()
}

#[test]
fn results_come_back_in_the_order_of_the_jobs() {
    let (results, trace) = run_traced();
    let got: Vec<(u64, u64)> = results.iter().map(|r| (r.id, r.result)).collect();
    let expected: Vec<(u64, u64)> = jobs().iter().map(|job| (job.id, job.n * job.n)).collect();
    assert_all_once(&got, &expected, "(id, result) pairs from run_pool");
    if got != expected {
        let got_ids: Vec<u64> = got.iter().map(|&(id, _)| id).collect();
        let want_ids: Vec<u64> = expected.iter().map(|&(id, _)| id).collect();
        panic!(
            "run_pool returned the results of jobs {got_ids:?}, in that order; the jobs were \
             given in the order {want_ids:?}, and the results must follow it. The work \
             finished in the order [{}]: remember each job's position in `jobs` and put its \
             result back there.",
            finish_order(&trace).join(", ")
        );
    }
}

#[test]
fn workers_run_at_the_same_time() {
    let (_results, trace) = run_traced();
    assert_distinct_pids_at_least(&trace, WORKERS, "jobs");
    assert_peak_overlap_at_least(&trace, WORKERS, "jobs");
}

#[test]
fn every_worker_is_waited_for() {
    let _ = run_traced();
    assert_no_children();
}
