//! Hidden checks for `02_queues/worker_pool`.
//!
//! Every job sleeps for `LATENCY` inside a traced span, so the sequential cost is known
//! exactly (12 × 100 ms = 1.2 s) and the checks judge the trace: how many jobs were open at
//! one instant, and on how many threads they ran. The wall-clock check is secondary and
//! generous. `tests/variants/02_queues/` holds a wrong pool each timing check must reject.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::check::{
    assert_all_once, assert_distinct_threads_at_least, assert_peak_overlap_at_least,
    assert_wall_below, TIMELINE_WIDTH, panic_message,
};
use concur_kit::trace::Trace;
use concur_kit::trace::traced;
use concur_kit::workload::LATENCY;

use crate::exercise::run_pool;

const JOBS: u64 = 12;
const WORKERS: usize = 4;
/// Far above the ideal 3 × 100 ms of 12 jobs on 4 workers, far below the 1.2 s of one worker.
const WALL_BOUND: Duration = Duration::from_millis(900);
/// A pool that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// What one run of the learner's pool produced.
struct Run {
    results: Vec<u64>,
    trace: Trace,
    elapsed: Duration,
}

/// Squares 1..=`jobs` on the learner's pool; every job is a traced sleep of `LATENCY`.
fn run_traced(jobs: u64, workers: usize) -> Run {
    let trace = Trace::new();
    let recorder = trace.clone();
    let work = move |n: u64| traced(&recorder, format!("job {n}"), LATENCY, || n * n);
    let started = Instant::now();
    let results = within_deadline(move || run_pool((1..=jobs).collect(), workers, work));
    Run { results, trace, elapsed: started.elapsed() }
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
            "run_pool did not return within {DEADLINE:?}. Are the workers still waiting for \
             jobs after the last one was taken? A worker can only stop once it learns that no \
             more jobs will come."
        ),
    }
}

fn squares(jobs: u64) -> Vec<u64> {
    (1..=jobs).map(|n| n * n).collect()
}

#[test]
fn every_job_runs_exactly_once() {
    let run = run_traced(JOBS, WORKERS);
    assert_all_once(&run.results, &squares(JOBS), "results of run_pool (12 jobs, 4 workers)");
}

#[test]
fn jobs_run_at_the_same_time() {
    let run = run_traced(JOBS, WORKERS);
    assert_peak_overlap_at_least(&run.trace, WORKERS, "jobs");
}

#[test]
fn jobs_run_on_exactly_the_worker_threads() {
    let run = run_traced(JOBS, WORKERS);
    assert_distinct_threads_at_least(&run.trace, WORKERS, "jobs");
    let threads = run.trace.distinct_threads();
    assert!(
        threads <= WORKERS,
        "the 12 jobs ran on {threads} different threads, but the pool has only {WORKERS} \
         workers: a pool reuses its threads, one job after another, instead of starting a \
         thread per job.\n\ntimeline:\n{}",
        run.trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn pool_is_faster_than_one_job_after_another() {
    let run = run_traced(JOBS, WORKERS);
    let sequential = LATENCY * JOBS as u32;
    assert_wall_below(run.elapsed, WALL_BOUND, sequential, "12 jobs of 100 ms on 4 workers");
}

#[test]
fn one_worker_still_works() {
    let run = run_traced(3, 1);
    assert_all_once(&run.results, &squares(3), "results of run_pool (3 jobs, 1 worker)");
}

#[test]
fn no_jobs_returns_empty() {
    let results = within_deadline(|| run_pool(Vec::<u64>::new(), WORKERS, |n: u64| n * n));
    assert!(
        results.is_empty(),
        "run_pool with no jobs returned {} results: {results:?}",
        results.len()
    );
}
