//! Hidden checks for `02_queues/worker_pool`.
//!
//! Every run draws the pool size (3–5 workers), the number of jobs (3 or 4 per worker) and
//! their ids (seeded, replayable with `concur verify worker_pool --seed N`). The `work` the
//! check hands out sleeps in a traced span `job {id}` and returns a value only this run knows
//! (`Inputs::salt`), so each result is tied to the one job that made it. With jobs of 80 ms
//! the sequential cost is (jobs × 80 ms), at least three times what `workers` threads need;
//! the wall bound lies halfway between the two. The checks judge the trace, and only work
//! that lay inside the call: how many jobs ran at once (at least the pool size, never more),
//! on how many threads, and whether a free worker took the next job while jobs still waited.
//!
//! Which wrong variant (`tests/variants/02_queues/worker_pool_*.rs`) bites which check:
//! - `jobs_run_at_the_same_time`, `pool_is_faster_than_one_job_after_another`: `_sequential`
//!   (one thread does every job);
//! - `jobs_run_on_exactly_the_worker_threads`: `_sequential`, `_thread_per_job` (a thread per
//!   job, all at once);
//! - `one_worker_still_works`: `_thread_per_job`;
//! - `a_free_worker_takes_the_next_job`: `_fixed_shares` (the jobs are split into one fixed
//!   share per worker up front, so a worker whose share is done sits idle while jobs wait).
//! `every_job_runs_exactly_once` and `no_jobs_returns_empty` are bitten by pools that lose,
//! duplicate or invent results, or that never return.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_all_once, assert_distinct_threads_at_least, assert_each_once, assert_inside,
    assert_peak_overlap_at_least, assert_peak_overlap_at_most, assert_wall_below,
};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::{traced, Trace};

use crate::exercise::run_pool;

const JOB: Duration = Duration::from_millis(80);
/// A pool that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// What one run of the learner's pool was given and produced.
struct Run {
    workers: usize,
    ids: Vec<u64>,
    answers: HashMap<u64, u64>,
    called: Called<Vec<u64>>,
    trace: Trace,
}

impl Run {
    fn expected(&self) -> Vec<u64> {
        self.ids.iter().map(|id| self.answers[id]).collect()
    }

    fn labels(&self) -> Vec<String> {
        self.ids.iter().map(|id| format!("job {id}")).collect()
    }

    fn sequential(&self) -> Duration {
        JOB * self.ids.len() as u32
    }

    /// Halfway between one job after another and `workers` jobs at a time.
    fn wall_bound(&self) -> Duration {
        let rounds = self.ids.len().div_ceil(self.workers) as u32;
        (self.sequential() + JOB * rounds) / 2
    }

    fn what(&self) -> String {
        format!(
            "run_pool ({} jobs of 80 ms, {} workers)",
            self.ids.len(),
            self.workers
        )
    }
}

/// Runs the learner's pool on `ids` with `workers` threads; job `id` takes `cost(id)`.
fn run_with(
    inputs: &Inputs,
    ids: Vec<u64>,
    workers: usize,
    cost: impl Fn(u64) -> Duration + Send + Sync + 'static,
) -> Run {
    let answers: HashMap<u64, u64> = ids.iter().map(|&id| (id, inputs.salt(id))).collect();
    let trace = Trace::new();
    let (recorder, known) = (trace.clone(), answers.clone());
    let work = move |id: u64| {
        let answer = known.get(&id).copied().unwrap_or_default();
        traced(&recorder, format!("job {id}"), cost(id), || answer)
    };
    let jobs = ids.clone();
    let called = call("run_pool", DEADLINE, move || run_pool(jobs, workers, work));
    Run {
        workers,
        ids,
        answers,
        called,
        trace,
    }
}

/// A pool of 3–5 workers with 3 or 4 jobs of 80 ms per worker.
fn run() -> Run {
    let mut inputs = Inputs::new();
    let workers = inputs.between(3, 5) as usize;
    let jobs = workers * inputs.between(3, 4) as usize;
    let ids = inputs.distinct(jobs, 1, 9_999);
    run_with(&inputs, ids, workers, |_| JOB)
}

#[test]
fn every_job_runs_exactly_once() {
    let run = run();
    assert_all_once(
        &run.called.value,
        &run.expected(),
        &format!("results of {} (each is what `work` returned for one job)", run.what()),
    );
    assert_each_once(&run.trace, &run.labels(), "jobs");
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
}

#[test]
fn jobs_run_at_the_same_time() {
    let run = run();
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
    assert_peak_overlap_at_least(&run.trace, run.workers, "jobs");
    assert_wall_below(
        run.called.elapsed(),
        run.wall_bound(),
        run.sequential(),
        &run.what(),
    );
}

#[test]
fn jobs_run_on_exactly_the_worker_threads() {
    let run = run();
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
    assert_distinct_threads_at_least(&run.trace, run.workers, "jobs");
    let threads = run.trace.distinct_threads();
    assert!(
        threads <= run.workers,
        "the {} jobs ran on {threads} different threads, but the pool has only {} workers: \
         a pool reuses its threads, one job after another, instead of starting a thread per \
         job{}",
        run.ids.len(),
        run.workers,
        picture(&run.trace, "jobs")
    );
    assert_peak_overlap_at_most(&run.trace, run.workers, "jobs");
}

#[test]
fn pool_is_faster_than_one_job_after_another() {
    let run = run();
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
    assert_wall_below(
        run.called.elapsed(),
        run.wall_bound(),
        run.sequential(),
        &run.what(),
    );
}

/// Jobs of different lengths: two long ones, first and last in the list, among short ones.
/// A worker that is free takes the next waiting job, so by the time the first worker finds
/// nothing left to do, every job has started. A pool that hands each worker a fixed share up
/// front leaves a worker idle while the share with a long job still has jobs waiting behind it
/// (or, taken from the back, in front of it).
#[test]
fn a_free_worker_takes_the_next_job() {
    const LONG: Duration = Duration::from_millis(300);
    const SHORT: Duration = Duration::from_millis(20);
    /// How long after a worker's last job a waiting job may still start, on a busy machine.
    const SLACK: Duration = Duration::from_millis(100);
    let mut inputs = Inputs::new();
    let workers = inputs.between(3, 5) as usize;
    let ids = inputs.distinct(4 * workers, 1, 9_999);
    let long = [ids[0], ids[ids.len() - 1]];
    let run = run_with(&inputs, ids, workers, move |id| {
        if long.contains(&id) {
            LONG
        } else {
            SHORT
        }
    });
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
    assert_all_once(
        &run.called.value,
        &run.expected(),
        "results of run_pool with jobs of different lengths",
    );
    let spans = run.trace.spans();
    let mut last_end: BTreeMap<&str, u64> = BTreeMap::new();
    for span in &spans {
        let end = last_end.entry(span.thread.as_str()).or_default();
        *end = (*end).max(span.end_us);
    }
    let Some(idle_from) = last_end.values().min().copied() else {
        return; // nothing ran: the results above already failed
    };
    let origin = run.called.start_us;
    if let Some(late) = spans
        .iter()
        .filter(|s| s.start_us > idle_from + SLACK.as_micros() as u64)
        .min_by_key(|s| s.start_us)
    {
        panic!(
            "{} started only {} ms into the call, though a worker had finished its last job \
             at {} ms and took no other: it sat idle while jobs waited. Here two jobs take \
             300 ms and the others 20 ms; a free worker should take the next waiting job from \
             the shared queue. Were the jobs split into fixed shares up front (by hand, or by \
             a parallel iterator)?{}",
            late.label,
            late.start_us.saturating_sub(origin) / 1000,
            idle_from.saturating_sub(origin) / 1000,
            picture(&run.trace, "jobs")
        );
    }
    let sequential = LONG * 2 + SHORT * (run.ids.len() as u32 - 2);
    assert_wall_below(
        run.called.elapsed(),
        sequential * 3 / 4,
        sequential,
        &format!("run_pool ({} jobs of 20 or 300 ms, {workers} workers)", run.ids.len()),
    );
}

#[test]
fn one_worker_still_works() {
    let mut inputs = Inputs::new();
    let jobs = inputs.between(3, 4) as usize;
    let ids = inputs.distinct(jobs, 1, 9_999);
    let run = run_with(&inputs, ids, 1, |_| JOB);
    assert_all_once(
        &run.called.value,
        &run.expected(),
        &format!("results of run_pool ({jobs} jobs, 1 worker)"),
    );
    assert_each_once(&run.trace, &run.labels(), "jobs");
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
    let threads = run.trace.distinct_threads();
    assert!(
        threads <= 1,
        "with 1 worker, the {jobs} jobs ran on {threads} different threads: one worker takes \
         one job after another{}",
        picture(&run.trace, "jobs")
    );
    assert_peak_overlap_at_most(&run.trace, 1, "jobs");
}

#[test]
fn no_jobs_returns_empty() {
    let trace = Trace::new();
    let recorder = trace.clone();
    let work = move |n: u64| recorder.record(format!("job {n}"), || n);
    let called = call("run_pool", DEADLINE, move || {
        run_pool(Vec::<u64>::new(), 4, work)
    });
    let results = called.value;
    assert!(
        results.is_empty() && trace.is_empty(),
        "run_pool with no jobs returned {} results ({results:?}) and called `work` {} times",
        results.len(),
        trace.len()
    );
}
