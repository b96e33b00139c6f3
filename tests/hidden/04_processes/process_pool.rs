//! Hidden checks for `04_processes/process_pool`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`. Their `slow_square` calls report to the check's bench through its
//! witness socket, which the kernel tells the caller's pid of, so the check sees which
//! processes did the work and when (a pid the learner reports proves nothing).
//!
//! Every run draws the pool size (3 or 4 workers), three jobs per worker, and the jobs' ids
//! and numbers (seeded, replayable with `concur verify process_pool --seed N`). Each result
//! must come from exactly one `slow_square(n)` span in a worker process, inside the call: a
//! parent that computes results itself, or a job done twice, is seen. The work must run on
//! exactly `workers` processes (no process per job) with as many at once, and the call must
//! take less than halfway between one job after another and three rounds of `workers` jobs.
//! Which wrong variant (`tests/variants/04_processes/process_pool_*.rs`) bites which check:
//! - `workers_are_separate_processes`, `workers_run_at_the_same_time`: `_single` (one worker
//!   does every job), `_process_per_job` (a process for every job, all at once);
//! - `results_are_correct`: `_parent_computes` (each worker gets one job, the parent squares
//!   the rest itself);
//! - `every_worker_is_waited_for`: `_no_wait`.

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

use crate::exercise::{run_pool, Job, JobResult};

/// Jobs per worker: a worker that starts a little late still finds jobs left to overlap with
/// the others.
const ROUNDS: usize = 3;
/// One `slow_square` in a worker.
const SQUARE: Duration = Duration::from_millis(100);
/// Ideal: 3 × 100 ms plus process start-up; a pool that has not returned by then is stuck.
const DEADLINE: Duration = Duration::from_secs(6);

/// What one run of the learner's pool was given and produced.
struct Run {
    workers: usize,
    jobs: Vec<Job>,
    called: Called<Vec<JobResult>>,
    trace: Trace,
}

impl Run {
    fn expected(&self) -> Vec<(u64, u64)> {
        self.jobs.iter().map(|job| (job.id, job.n * job.n)).collect()
    }

    fn labels(&self) -> Vec<String> {
        self.jobs.iter().map(|job| format!("slow_square({})", job.n)).collect()
    }

    fn what(&self) -> String {
        format!("run_pool ({} jobs of 100 ms, {} workers)", self.jobs.len(), self.workers)
    }
}

/// Runs the learner's pool on jobs of this run and returns what it gave back with the trace
/// of the work its worker processes did.
fn run() -> Run {
    let mut inputs = Inputs::new();
    let workers = inputs.between(3, 4) as usize;
    let count = workers * ROUNDS;
    let ids = inputs.distinct(count, 1, 999_999);
    let numbers = inputs.distinct(count, 2, 9_999);
    let jobs: Vec<Job> = ids.into_iter().zip(numbers).map(|(id, n)| Job { id, n }).collect();
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let given = jobs.clone();
    let called = call_hinting(
        "run_pool",
        DEADLINE,
        "Is it waiting for a worker that is itself waiting for more input? A worker \
             stops when its stdin is closed, and stdin closes when the parent drops its end \
             of the pipe.",
        move || run_pool(&program, &given, workers),
    );
    let trace = bench.trace();
    let Called { value, start_us, end_us } = called;
    let results = value.unwrap_or_else(|error| panic!("run_pool returned an error: {error}"));
    Run { workers, jobs, called: Called { value: results, start_us, end_us }, trace }
}

/// Every span of the run lay in a worker process, not in this one.
#[track_caller]
fn assert_done_by_workers(run: &Run) {
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
fn results_are_correct() {
    let run = run();
    let got: Vec<(u64, u64)> = run.called.value.iter().map(|r| (r.id, r.result)).collect();
    assert_all_once(&got, &run.expected(), &format!("(id, result) pairs from {}", run.what()));
    assert_inside(&run.trace, &run.called, "slow_square calls", "run_pool");
    assert_done_by_workers(&run);
    assert_each_once(&run.trace, &run.labels(), "slow_square calls (one per job, in a worker)");
}

#[test]
fn workers_are_separate_processes() {
    let run = run();
    assert_inside(&run.trace, &run.called, "slow_square calls", "run_pool");
    assert_done_by_workers(&run);
    assert_distinct_pids_at_least(&run.trace, run.workers, "slow_square calls");
    let pids = run.trace.distinct_pids();
    if pids > run.workers {
        panic!(
            "the {} jobs were done by {pids} different processes, but the pool has {} \
             workers: a pool starts `workers` processes and sends each of them job after job, \
             instead of starting a process per job{}",
            run.jobs.len(),
            run.workers,
            picture(&run.trace, "slow_square calls")
        );
    }
}

#[test]
fn workers_run_at_the_same_time() {
    let run = run();
    assert_inside(&run.trace, &run.called, "slow_square calls", "run_pool");
    assert_peak_overlap_at_least(&run.trace, run.workers, "slow_square calls");
    assert_peak_overlap_at_most(&run.trace, run.workers, "slow_square calls");
    let sequential = SQUARE * run.jobs.len() as u32;
    assert_wall_below(
        run.called.elapsed(),
        (sequential + SQUARE * ROUNDS as u32) / 2,
        sequential,
        &run.what(),
    );
}

#[test]
fn every_worker_is_waited_for() {
    let _ = run();
    assert_no_children();
}
