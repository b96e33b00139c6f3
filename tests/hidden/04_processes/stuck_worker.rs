//! Hidden checks for `04_processes/stuck_worker`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`, whose given `compute` never returns on n = 7. The first of 24 jobs is
//! that one, so one worker is stuck from the start; with a 400 ms timeout it is killed and
//! replaced while the queue still holds work for the replacement (the other three workers
//! need ~0.8 s for the other 23 jobs). A stuck worker records nothing, so the pids the
//! bench's witness saw count only workers that finished jobs: at least 4 means the stuck one
//! was replaced.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{assert_all_once, panic_message};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::{run_pool, Job, PoolReport};

const WORKERS: usize = 4;
/// The job that never finishes: the first one, n = 7.
const STUCK_ID: u64 = 1;
/// Four times a job's 100 ms: room for a worker's start-up on a busy machine.
const TIMEOUT: Duration = Duration::from_millis(400);
/// Ideal: about 0.8 s; a pool that has not returned by then is waiting for the stuck job.
const DEADLINE: Duration = Duration::from_secs(6);

/// 24 jobs: id 1 has n = 7 and never finishes, the others have n = id + 20.
fn jobs() -> Vec<Job> {
    (1..=24)
        .map(|id| Job { id, n: if id == STUCK_ID { 7 } else { id + 20 } })
        .collect()
}

/// Runs the learner's pool on `jobs()` and returns its results and the trace of the work
/// its worker processes did.
fn run_traced() -> (PoolReport, Trace) {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let results = within_deadline(move || run_pool(&program, &jobs(), WORKERS, TIMEOUT))
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
            "run_pool did not return within {DEADLINE:?}, with a timeout of {TIMEOUT:?} per \
             job: job 1 never finishes, so a pool that waits for its answer without a timeout \
             waits for ever. Wait for each answer with a deadline (a thread reads the \
             worker's stdout and sends the lines on a channel; `recv_timeout` waits on it), \
             and past it kill the worker. (Or is it waiting for a stuck worker to exit? A \
             stuck worker never reads its closed stdin: kill it before you wait for it.)"
        ),
    }
}

#[test]
fn every_other_job_has_its_result() {
    let (report, _trace) = run_traced();
    let got: Vec<(u64, u64)> = report.results.iter().map(|r| (r.id, r.result)).collect();
    let expected: Vec<(u64, u64)> = jobs()
        .iter()
        .filter(|job| job.id != STUCK_ID)
        .map(|job| (job.id, job.n * job.n))
        .collect();
    assert_all_once(
        &got,
        &expected,
        "(id, result) pairs in PoolReport::results, 24 jobs of which job 1 never finishes",
    );
}

#[test]
fn the_stuck_job_is_reported_as_timed_out() {
    let (report, _trace) = run_traced();
    if report.timed_out != [STUCK_ID] {
        panic!(
            "PoolReport::timed_out is {:?}; expected [{STUCK_ID}]: job {STUCK_ID} (n = 7) never \
             finishes, and every other job takes about 100 ms, well within the {TIMEOUT:?} \
             timeout",
            report.timed_out
        );
    }
}

#[test]
fn the_stuck_worker_is_replaced() {
    let (_report, trace) = run_traced();
    let pids = trace.distinct_pids();
    if pids < WORKERS {
        panic!(
            "only {pids} worker processes finished jobs; the pool has {WORKERS} workers, and one \
             of them got stuck on job {STUCK_ID} at the start. Once the stuck worker is killed, \
             start a new worker in its place: the queue still had work for it.\n\ntimeline:\n{}",
            trace.timeline(60)
        );
    }
}

#[test]
fn no_worker_is_left_behind() {
    let _ = run_traced();
    assert_no_children();
}
