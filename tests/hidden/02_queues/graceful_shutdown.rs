//! Hidden checks for `02_queues/graceful_shutdown`.
//!
//! 12 jobs, each a traced sleep of 50 ms, on 3 workers. "At once": shutdown is called right
//! after the last submit, with nearly every job still queued. "Later": shutdown is called
//! 150 ms after the submits. The checks compare the trace with the moments `shutdown` was
//! called and returned.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{assert_all_once, assert_peak_overlap_at_least, panic_message, TIMELINE_WIDTH};
use concur_kit::trace::{now_us, Trace};
use concur_kit::trace::traced;

use crate::exercise::Service;

const JOBS: u64 = 12;
const WORKERS: usize = 3;
const WORK: Duration = Duration::from_millis(50);
/// How long `shutdown` may take after the last job ended.
const PROMPT: Duration = Duration::from_millis(300);
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    results: Vec<u64>,
    trace: Trace,
    shutdown_called_us: u64,
    shutdown_returned_us: u64,
}

fn run(jobs: u64, wait_before_shutdown: Duration) -> Run {
    let trace = Trace::new();
    let recorder = trace.clone();
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let work = move |n: u64| traced(&recorder, format!("job {n}"), WORK, || n * n);
        let service = Service::start(WORKERS, work);
        for job in 1..=jobs {
            service.submit(job);
        }
        thread::sleep(wait_before_shutdown);
        let called = now_us();
        let _ = tx.send(called);
        let results = service.shutdown();
        let _ = tx.send(now_us());
        (results, called)
    });
    let guard = |what: &str| match rx.recv_timeout(DEADLINE) {
        Ok(at) => at,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not return within {DEADLINE:?} ({} of {jobs} jobs ran). If shutdown \
             waits for the workers, do they know they should stop? A worker's loop over the \
             queue ends only once the queue is closed, that is, once every sender is \
             dropped.\n\ntimeline:\n{}",
            trace.len(),
            trace.timeline(TIMELINE_WIDTH)
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => unreachable!("handled below"),
    };
    let called = match rx.recv_timeout(DEADLINE) {
        Ok(at) => at,
        Err(mpsc::RecvTimeoutError::Disconnected) => failed(runner),
        Err(mpsc::RecvTimeoutError::Timeout) => guard("start or submit"),
    };
    let returned = match rx.recv_timeout(DEADLINE) {
        Ok(at) => at,
        Err(mpsc::RecvTimeoutError::Disconnected) => failed(runner),
        Err(mpsc::RecvTimeoutError::Timeout) => guard("shutdown"),
    };
    let (results, _) = runner.join().unwrap_or_else(|p| panic!("{}", panic_message(&*p)));
    Run { results, trace, shutdown_called_us: called, shutdown_returned_us: returned }
}

fn failed<T>(runner: thread::JoinHandle<T>) -> ! {
    match runner.join() {
        Err(panic) => panic!("the service panicked: {}", panic_message(&*panic)),
        Ok(_) => unreachable!("the runner sends before it ends"),
    }
}

#[test]
fn every_submitted_job_runs_exactly_once() {
    let run = run(JOBS, Duration::ZERO);
    let expected: Vec<u64> = (1..=JOBS).map(|n| n * n).collect();
    assert_all_once(
        &run.results,
        &expected,
        "results of shutdown, called right after 12 jobs were submitted",
    );
}

#[test]
fn jobs_start_before_shutdown() {
    let run = run(JOBS, Duration::from_millis(150));
    let started = run.trace.spans().iter().filter(|s| s.start_us < run.shutdown_called_us).count();
    assert!(
        started > 0,
        "no job had started 150 ms after the 12 jobs were submitted: they only ran once \
         shutdown was called. The workers should take jobs from the queue as soon as they \
         are submitted.\n\ntimeline:\n{}",
        run.trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn jobs_run_on_all_workers_at_once() {
    let run = run(JOBS, Duration::from_millis(150));
    assert_peak_overlap_at_least(&run.trace, WORKERS, "jobs");
    let threads = run.trace.distinct_threads();
    assert!(
        threads <= WORKERS,
        "the 12 jobs ran on {threads} different threads, but the service has {WORKERS} \
         workers: each worker should take job after job from the queue.\n\ntimeline:\n{}",
        run.trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn shutdown_returns_soon_after_the_last_job() {
    let run = run(JOBS, Duration::ZERO);
    let last_end = run.trace.spans().iter().map(|s| s.end_us).max().unwrap_or(run.shutdown_called_us);
    let after = run.shutdown_returned_us.saturating_sub(last_end.max(run.shutdown_called_us));
    assert!(
        after < PROMPT.as_micros() as u64,
        "shutdown returned {} ms after the last job had ended; it should return as soon as \
         the queue is empty and the workers are done (within {} ms). Are the workers polling \
         with a timeout, or sleeping, before they notice they should stop?\n\ntimeline:\n{}",
        after / 1000,
        PROMPT.as_millis(),
        run.trace.timeline(TIMELINE_WIDTH)
    );
    let idle = run_idle();
    assert!(
        idle < PROMPT,
        "shutdown of a service that had no jobs took {} ms; it should return at once",
        idle.as_millis()
    );
}

fn run_idle() -> Duration {
    let run = run(0, Duration::from_millis(50));
    Duration::from_micros(run.shutdown_returned_us.saturating_sub(run.shutdown_called_us))
}
