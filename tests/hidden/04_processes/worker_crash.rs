//! Hidden checks for `04_processes/worker_crash`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`, whose given `compute` makes the worker exit with code 3 on n = 13. Every
//! run draws the jobs' ids and numbers and where the one job with n = 13 sits: in the middle of
//! 20 jobs on 4 workers (positions 9–12), in the third round whether the pool takes its jobs
//! from the front of the list or from the back (a `Vec` used as a stack), so the worker that
//! takes it has already done jobs, and many jobs are still queued when it dies (seeded,
//! replayable with `concur verify worker_crash --seed N`). Each finished job reports a
//! `slow_square(n)` span to the check's bench through its witness socket, with the pid the
//! kernel gives, so the check sees which processes did the work and when.
//!
//! The crash itself leaves no span, but it leaves a mark: in a pool whose workers all live,
//! a worker that finishes a job takes the next one, so no job starts long after a worker's
//! last job ended. A worker that dies on the poison job stops while jobs are still started
//! after it. A pool that never sends the poison job (and reports it failed anyway) has no
//! such worker. Which wrong variant (`tests/variants/04_processes/worker_crash_*.rs`) bites
//! which check:
//! - `every_other_job_has_its_result`: `_loses_results`;
//! - `the_poison_job_crashes_a_worker`: `_never_sent`;
//! - `every_worker_is_waited_for`: `_no_wait`.

use std::collections::BTreeMap;
use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call_hinting, Called};
use concur_kit::check::{
    assert_all_once, assert_distinct_pids_at_least, assert_each_once, assert_inside,
    assert_peak_overlap_at_least, assert_peak_overlap_at_most, assert_wall_below,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::{run_pool, Job, PoolReport};

const WORKERS: usize = 4;
const JOBS: usize = 20;
/// The number `compute` crashes its worker on.
const POISON: u64 = 13;
/// One `slow_square` in a worker.
const SQUARE: Duration = Duration::from_millis(100);
/// How long after a worker's last job another job may still start in a pool whose workers
/// all live (the time to read an answer and send the next job, on a busy machine). A worker
/// that died in the third round leaves about 200 ms of jobs started after it, from whichever
/// end the queue is taken.
const SLACK: Duration = Duration::from_millis(100);
/// Ideal: 5 rounds of 100 ms plus process start-ups; a pool that has not returned by then is
/// stuck, most likely waiting for an answer a dead worker will never send.
const DEADLINE: Duration = Duration::from_secs(6);

/// What one run of the learner's pool was given and produced.
struct Run {
    jobs: Vec<Job>,
    poison: Job,
    called: Called<PoolReport>,
    trace: Trace,
}

impl Run {
    fn others(&self) -> impl Iterator<Item = &Job> {
        self.jobs.iter().filter(|job| job.id != self.poison.id)
    }
}

/// Runs the learner's pool on the jobs of this run and returns its report and the trace of the
/// work its worker processes did.
fn run() -> Run {
    let mut inputs = Inputs::new();
    let ids = inputs.distinct(JOBS, 1, 999_999);
    let numbers = inputs.distinct(JOBS, POISON + 1, 9_999);
    let mut jobs: Vec<Job> = ids.into_iter().zip(numbers).map(|(id, n)| Job { id, n }).collect();
    // The third round from either end of the list: FIFO and LIFO pools both meet it mid-run.
    let at = inputs.between(2 * WORKERS as u64, 3 * WORKERS as u64 - 1) as usize;
    jobs[at].n = POISON;
    let poison = jobs[at];
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let given = jobs.clone();
    let called = call_hinting(
        "run_pool",
        DEADLINE,
        "Is it waiting for a worker that is itself waiting for more input, or for an \
             answer from a worker that has died? A read from a dead worker's stdout returns \
             end of file (0 bytes) at once.",
        move || run_pool(&program, &given, WORKERS),
    );
    let trace = bench.trace();
    let Called { value, start_us, end_us } = called;
    let report = value.unwrap_or_else(|error| panic!("run_pool returned an error: {error}"));
    Run { jobs, poison, called: Called { value: report, start_us, end_us }, trace }
}

/// Every span of the run lay inside the call and in a worker process, not in this one.
#[track_caller]
fn assert_done_by_workers(run: &Run) {
    assert_inside(&run.trace, &run.called, "slow_square calls", "run_pool");
    let me = std::process::id();
    let here = run.trace.spans().iter().filter(|span| span.pid == me).count();
    if here > 0 {
        panic!(
            "{here} of the {} slow_square calls ran in this process (pid {me}), not in a \
             worker: run_pool must send every job to a worker process{}",
            run.trace.len(),
            picture(&run.trace, "slow_square calls")
        );
    }
}

#[test]
fn every_other_job_has_its_result() {
    let run = run();
    let got: Vec<(u64, u64)> = run.called.value.results.iter().map(|r| (r.id, r.result)).collect();
    let expected: Vec<(u64, u64)> = run.others().map(|job| (job.id, job.n * job.n)).collect();
    assert_all_once(
        &got,
        &expected,
        &format!(
            "(id, result) pairs in PoolReport::results, {JOBS} jobs of which job {} (n = 13) \
             crashes its worker (a crash must cost only its own job)",
            run.poison.id
        ),
    );
    assert_done_by_workers(&run);
    let labels: Vec<String> = run.others().map(|job| format!("slow_square({})", job.n)).collect();
    assert_each_once(&run.trace, &labels, "slow_square calls (one per job, in a worker)");
}

#[test]
fn the_crashed_job_is_reported_as_failed() {
    let run = run();
    let failed = &run.called.value.failed;
    if *failed != [run.poison.id] {
        panic!(
            "PoolReport::failed is {failed:?}; expected [{id}]: job {id} (n = 13) makes its \
             worker exit with code 3 before answering, and it is the only one",
            id = run.poison.id
        );
    }
}

#[test]
fn the_poison_job_crashes_a_worker() {
    let run = run();
    assert_done_by_workers(&run);
    let spans = run.trace.spans();
    let mut last_end: BTreeMap<u32, u64> = BTreeMap::new();
    for span in &spans {
        let end = last_end.entry(span.pid).or_default();
        *end = (*end).max(span.end_us);
    }
    let last_start = spans.iter().map(|span| span.start_us).max().unwrap_or_default();
    let stopped_early = last_end
        .values()
        .any(|&end| last_start > end + SLACK.as_micros() as u64);
    if !stopped_early {
        panic!(
            "no worker stopped early: every worker process that did jobs went on taking jobs \
             until none were left (the last job started {} ms into the call, and no worker's \
             last job had ended more than {} ms before that), so no worker died during the \
             run. Job {} (n = 13) crashes the worker it is sent to: was it sent to a worker? \
             It is reported as failed because its worker died on it, not skipped{}",
            last_start.saturating_sub(run.called.start_us) / 1000,
            SLACK.as_millis(),
            run.poison.id,
            picture(&run.trace, "slow_square calls")
        );
    }
}

#[test]
fn workers_run_at_the_same_time() {
    let run = run();
    assert_done_by_workers(&run);
    assert_distinct_pids_at_least(&run.trace, WORKERS, "slow_square calls");
    assert_peak_overlap_at_least(&run.trace, WORKERS, "slow_square calls");
    assert_peak_overlap_at_most(&run.trace, WORKERS, "slow_square calls");
    let pids = run.trace.distinct_pids();
    if pids > WORKERS + 1 {
        panic!(
            "the {JOBS} jobs were done by {pids} different processes; the pool has {WORKERS} \
             workers and one of them crashes, so at most {} processes should do jobs: a pool \
             sends each worker job after job, instead of starting a process per job{}",
            WORKERS + 1,
            picture(&run.trace, "slow_square calls")
        );
    }
    let sequential = SQUARE * (JOBS as u32 - 1);
    let ideal = SQUARE * (JOBS.div_ceil(WORKERS) as u32);
    assert_wall_below(
        run.called.elapsed(),
        (sequential + ideal) / 2,
        sequential,
        &format!("run_pool ({JOBS} jobs of 100 ms, {WORKERS} workers)"),
    );
}

#[test]
fn every_worker_is_waited_for() {
    let _ = run();
    assert_no_children();
}
