//! Hidden checks for `02_queues/graceful_shutdown`.
//!
//! Every run draws the number of workers (3 or 4) and the job ids (seeded, replayable with
//! `--seed N`); there are 4 jobs per worker, each a traced sleep of 50 ms in a span `job {id}`
//! that returns a value only this run knows (`Inputs::salt`), so each result is tied to the
//! one job that made it. "At once": shutdown is called right after the last submit, with
//! nearly every job still queued. "Later": shutdown is called 150 ms after the submits. "Two
//! bursts": half the jobs, 500 ms in which the workers have nothing to do, then the rest and
//! shutdown at once. The checks compare the trace with the moments the service was started,
//! `shutdown` was called and returned: every job runs once, between `start` and the return of
//! `shutdown`, on no more threads than workers, all workers at once, and the whole run takes
//! well under the jobs one after another
//! from the first job's start to the last job's end.
//!
//! Which wrong variant (`tests/variants/02_queues/graceful_shutdown_*.rs`) bites which check:
//! - `every_submitted_job_runs_exactly_once`, `idle_workers_wait_for_more_jobs`:
//!   `_drops_queued` (a stop flag abandons the queue);
//! - `jobs_start_before_shutdown`: `_lazy` (the workers start in `shutdown`);
//! - `jobs_run_on_all_workers_at_once`: `_one_worker`, `_thread_per_job` (a thread per
//!   submitted job);
//! - `shutdown_returns_soon_after_the_last_job`: `_slow_stop` (polls with a 1 s timeout);
//! - `idle_workers_wait_for_more_jobs`: `_quits_when_idle` (a worker ends once the queue has
//!   been empty for 200 ms, so jobs submitted after a pause are never run).

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::call::Called;
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_inside, assert_peak_overlap_at_least,
    assert_peak_overlap_at_most, assert_wall_below, panic_message,
};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::{now_us, traced, Trace};

use crate::exercise::Service;

const WORK: Duration = Duration::from_millis(50);
/// How long `shutdown` may take after the last job ended.
const PROMPT: Duration = Duration::from_millis(300);
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    workers: usize,
    ids: Vec<u64>,
    answers: HashMap<u64, u64>,
    results: Vec<u64>,
    trace: Trace,
    /// From just before `start` to the return of `shutdown`, with the results.
    service: Called<()>,
    shutdown_called_us: u64,
    shutdown_returned_us: u64,
}

impl Run {
    fn expected(&self) -> Vec<u64> {
        self.ids.iter().map(|id| self.answers[id]).collect()
    }

    fn labels(&self) -> Vec<String> {
        self.ids.iter().map(|id| format!("job {id}")).collect()
    }

    fn sequential(&self) -> Duration {
        WORK * self.ids.len() as u32
    }

    fn what(&self) -> String {
        format!("{} jobs of 50 ms on {} workers", self.ids.len(), self.workers)
    }
}

/// Starts a service of `workers` workers, submits `bursts` (sleeping `gap` before every burst
/// after the first), sleeps `wait_before_shutdown` and shuts it down.
fn run_bursts(
    inputs: &Inputs,
    workers: usize,
    bursts: Vec<Vec<u64>>,
    gap: Duration,
    wait_before_shutdown: Duration,
) -> Run {
    let ids: Vec<u64> = bursts.concat();
    let answers: HashMap<u64, u64> = ids.iter().map(|&id| (id, inputs.salt(id))).collect();
    let trace = Trace::new();
    let (recorder, known) = (trace.clone(), answers.clone());
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let work = move |id: u64| {
            let answer = known.get(&id).copied().unwrap_or_default();
            traced(&recorder, format!("job {id}"), WORK, || answer)
        };
        let started = now_us();
        let service = Service::start(workers, work);
        for (k, burst) in bursts.into_iter().enumerate() {
            if k > 0 {
                thread::sleep(gap);
            }
            for job in burst {
                service.submit(job);
            }
        }
        thread::sleep(wait_before_shutdown);
        let called = now_us();
        let _ = tx.send(called);
        let results = service.shutdown();
        let _ = tx.send(now_us());
        (results, started)
    });
    let jobs = ids.len();
    let guard = |what: &str| -> u64 {
        panic!(
            "{what} did not return within {DEADLINE:?} ({} of {jobs} jobs ran). If shutdown \
             waits for the workers, do they know they should stop? A worker's loop over the \
             queue ends only once the queue is closed, that is, once every sender is \
             dropped.{}",
            trace.len(),
            picture(&trace, "jobs")
        )
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
    let (results, started) = runner.join().unwrap_or_else(|p| panic!("{}", panic_message(&*p)));
    // Let work left running after shutdown returned show up in the trace.
    thread::sleep(WORK * 2);
    Run {
        workers,
        ids,
        answers,
        results,
        trace,
        service: Called { value: (), start_us: started, end_us: returned },
        shutdown_called_us: called,
        shutdown_returned_us: returned,
    }
}

/// 3 or 4 workers, 4 jobs per worker, submitted at once; shutdown after `wait_before_shutdown`.
fn run(wait_before_shutdown: Duration) -> Run {
    let mut inputs = Inputs::new();
    let workers = inputs.between(3, 4) as usize;
    let ids = inputs.distinct(workers * 4, 1, 9_999);
    run_bursts(&inputs, workers, vec![ids], Duration::ZERO, wait_before_shutdown)
}

#[track_caller]
fn assert_every_job_once(run: &Run, when: &str) {
    assert_all_once(
        &run.results,
        &run.expected(),
        &format!(
            "results of shutdown ({}, {when}; each is what `work` returned for one job)",
            run.what()
        ),
    );
    assert_each_once(&run.trace, &run.labels(), "jobs");
    assert_inside(&run.trace, &run.service, "jobs", "shutdown");
}

#[test]
fn every_submitted_job_runs_exactly_once() {
    let run = run(Duration::ZERO);
    assert_every_job_once(&run, "shutdown called right after the last submit");
}

#[test]
fn jobs_start_before_shutdown() {
    let run = run(Duration::from_millis(150));
    let started = run.trace.spans().iter().filter(|s| s.start_us < run.shutdown_called_us).count();
    assert!(
        started > 0,
        "no job had started 150 ms after the {} jobs were submitted: they only ran once \
         shutdown was called. The workers should take jobs from the queue as soon as they \
         are submitted.{}",
        run.ids.len(),
        picture(&run.trace, "jobs")
    );
}

#[test]
fn jobs_run_on_all_workers_at_once() {
    let run = run(Duration::from_millis(150));
    assert_inside(&run.trace, &run.service, "jobs", "shutdown");
    assert_peak_overlap_at_least(&run.trace, run.workers, "jobs");
    let threads = run.trace.distinct_threads();
    assert!(
        threads <= run.workers,
        "the {} jobs ran on {threads} different threads, but the service has {} workers: \
         each worker should take job after job from the queue.{}",
        run.ids.len(),
        run.workers,
        picture(&run.trace, "jobs")
    );
    assert_peak_overlap_at_most(&run.trace, run.workers, "jobs");
    let ideal = WORK * run.ids.len().div_ceil(run.workers) as u32;
    // From the start of the first job to the end of the last: when the jobs start is judged by
    // `jobs_start_before_shutdown`, how long shutdown then takes by
    // `shutdown_returns_soon_after_the_last_job`.
    let spans = run.trace.spans();
    let first_start = spans.iter().map(|s| s.start_us).min().unwrap_or_default();
    let last_end = spans.iter().map(|s| s.end_us).max().unwrap_or_default();
    assert_wall_below(
        Duration::from_micros(last_end.saturating_sub(first_start)),
        ideal + run.sequential().saturating_sub(ideal) / 2,
        run.sequential(),
        &format!("from the start of the first job to the end of the last, {}", run.what()),
    );
}

#[test]
fn shutdown_returns_soon_after_the_last_job() {
    let run = run(Duration::ZERO);
    let last_end = run.trace.spans().iter().map(|s| s.end_us).max().unwrap_or(run.shutdown_called_us);
    let after = run.shutdown_returned_us.saturating_sub(last_end.max(run.shutdown_called_us));
    assert!(
        after < PROMPT.as_micros() as u64,
        "shutdown returned {} ms after the last job had ended; it should return as soon as \
         the queue is empty and the workers are done (within {} ms). Are the workers polling \
         with a timeout, or sleeping, before they notice they should stop?{}",
        after / 1000,
        PROMPT.as_millis(),
        picture(&run.trace, "jobs")
    );
    let idle = run_idle();
    assert!(
        idle < PROMPT,
        "shutdown of a service that had no jobs took {} ms; it should return at once",
        idle.as_millis()
    );
}

/// The workers finish the first half of the jobs and find the queue empty for 400 ms; the
/// other half must still run.
#[test]
fn idle_workers_wait_for_more_jobs() {
    let mut inputs = Inputs::new();
    let workers = inputs.between(3, 4) as usize;
    let ids = inputs.distinct(workers * 4, 1, 9_999);
    let (first, second) = ids.split_at(ids.len() / 2);
    let run = run_bursts(
        &inputs,
        workers,
        vec![first.to_vec(), second.to_vec()],
        Duration::from_millis(500),
        Duration::ZERO,
    );
    assert_every_job_once(
        &run,
        "half of them submitted 500 ms after the others, when the queue had been empty for a while",
    );
}

fn run_idle() -> Duration {
    let inputs = Inputs::new();
    let run = run_bursts(&inputs, 3, vec![Vec::new()], Duration::ZERO, Duration::from_millis(50));
    Duration::from_micros(run.shutdown_returned_us.saturating_sub(run.shutdown_called_us))
}

fn failed<T>(runner: thread::JoinHandle<T>) -> ! {
    match runner.join() {
        Err(panic) => panic!("the service panicked: {}", panic_message(&*panic)),
        Ok(_) => unreachable!("the runner sends before it ends"),
    }
}
