//! Hidden checks for `04_processes/stuck_worker`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`, whose given `compute` never returns on n = 7. Every run draws the jobs'
//! ids and numbers and which of the first four of 24 jobs has n = 7 (seeded, replayable with
//! `concur verify stuck_worker --seed N`), so one worker is stuck from the start; with a
//! 400 ms timeout it is killed and replaced while the queue still holds work for the
//! replacement (the other three workers need ~0.8 s for the other 23 jobs). Each finished job
//! reports a `slow_square(n)` span to the check's bench through its witness socket with the
//! pid the kernel gives; a stuck worker records nothing. So:
//! - while the stuck job holds its worker (the timeout, 400 ms), at most three jobs run at once.
//!   Whichever end of the queue a pool takes its jobs from (the stuck job comes first, or last
//!   with a `Vec` used as a stack), the call has a stretch of at least 300 ms in which fewer
//!   than four jobs ran; a pool that never sends it runs four at once but for its last round
//!   (about 100 ms);
//! - after it, four at once again, on at most four processes that did jobs: the replacement
//!   is one of them, and no process is started per job.
//!
//! Which wrong variant (`tests/variants/04_processes/stuck_worker_*.rs`) bites which check:
//! `_no_timeout` and `_no_kill` never return (every check); `_not_replaced` (three workers
//! after the kill) bites `the_stuck_worker_is_replaced` and `workers_run_at_the_same_time`;
//! `_never_sent` (the stuck job is reported without being sent) bites
//! `the_stuck_job_holds_a_worker`.

use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call_hinting, Called};
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_inside, assert_peak_overlap_at_least,
    assert_peak_overlap_at_most, assert_wall_below,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::{run_pool, Job, PoolReport};

const WORKERS: usize = 4;
const JOBS: usize = 24;
/// The number `compute` never finishes on.
const STUCK: u64 = 7;
/// One `slow_square` in a worker.
const SQUARE: Duration = Duration::from_millis(100);
/// Four times a job's 100 ms: room for a worker's start-up on a busy machine.
const TIMEOUT: Duration = Duration::from_millis(400);
/// Ideal: about 0.8 s; a pool that has not returned by then is waiting for the stuck job.
const DEADLINE: Duration = Duration::from_secs(6);

/// What one run of the learner's pool was given and produced.
struct Run {
    jobs: Vec<Job>,
    stuck: Job,
    called: Called<PoolReport>,
    trace: Trace,
}

impl Run {
    fn others(&self) -> impl Iterator<Item = &Job> {
        self.jobs.iter().filter(|job| job.id != self.stuck.id)
    }
}

/// Runs the learner's pool on the jobs of this run and returns its report and the trace of the
/// work its worker processes did.
fn run() -> Run {
    let mut inputs = Inputs::new();
    let ids = inputs.distinct(JOBS, 1, 999_999);
    let numbers = inputs.distinct(JOBS, STUCK + 1, 9_999);
    let mut jobs: Vec<Job> = ids.into_iter().zip(numbers).map(|(id, n)| Job { id, n }).collect();
    let at = inputs.between(0, WORKERS as u64 - 1) as usize;
    jobs[at].n = STUCK;
    let stuck = jobs[at];
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let given = jobs.clone();
    let called = call_hinting(
        "run_pool",
        DEADLINE,
        &format!(
            "The timeout is {TIMEOUT:?} per job, and the job with n = 7 never finishes, so a \
             pool that waits for its answer without a timeout waits for ever. Wait for each \
             answer with a deadline (a thread reads the worker's stdout and sends the lines \
             on a channel; `recv_timeout` waits on it), and past it kill the worker. (Or is it \
             waiting for a stuck worker to exit? A stuck worker never reads its closed stdin: \
             kill it before you wait for it.)"
        ),
        move || run_pool(&program, &given, WORKERS, TIMEOUT),
    );
    let trace = bench.trace();
    let Called { value, start_us, end_us } = called;
    let report = value.unwrap_or_else(|error| panic!("run_pool returned an error: {error}"));
    Run { jobs, stuck, called: Called { value: report, start_us, end_us }, trace }
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
            "(id, result) pairs in PoolReport::results, {JOBS} jobs of which job {} (n = 7) \
             never finishes",
            run.stuck.id
        ),
    );
    assert_done_by_workers(&run);
    let labels: Vec<String> = run.others().map(|job| format!("slow_square({})", job.n)).collect();
    assert_each_once(&run.trace, &labels, "slow_square calls (one per job, in a worker)");
}

#[test]
fn the_stuck_job_is_reported_as_timed_out() {
    let run = run();
    let timed_out = &run.called.value.timed_out;
    if *timed_out != [run.stuck.id] {
        panic!(
            "PoolReport::timed_out is {timed_out:?}; expected [{id}]: job {id} (n = 7) never \
             finishes, and every other job takes about 100 ms, well within the {TIMEOUT:?} \
             timeout",
            id = run.stuck.id
        );
    }
}

/// The longest stretch of time in `from_us..to_us` during which fewer than `busy` spans of
/// `trace` were running, in microseconds. A span ending exactly when another starts does not
/// overlap it.
fn longest_stretch_below(trace: &Trace, busy: usize, from_us: u64, to_us: u64) -> u64 {
    // (time, +1 for a start / -1 for an end); ends sort before starts at the same instant.
    let mut events: Vec<(u64, i32)> = Vec::new();
    for span in trace.spans() {
        events.push((span.start_us, 1));
        events.push((span.end_us, -1));
    }
    events.sort();
    let (mut running, mut below_since, mut longest) = (0i32, Some(from_us), 0u64);
    for (at, change) in events {
        let at = at.clamp(from_us, to_us);
        running += change;
        let below = running < busy as i32;
        match (below, below_since) {
            (false, Some(since)) => {
                longest = longest.max(at - since);
                below_since = None;
            }
            (true, None) => below_since = Some(at),
            _ => {}
        }
    }
    if let Some(since) = below_since {
        longest = longest.max(to_us.saturating_sub(since));
    }
    longest
}

#[test]
fn the_stuck_job_holds_a_worker() {
    let run = run();
    assert_done_by_workers(&run);
    // From the first job's start (process start-up is not a held worker) to the return.
    let first_start = run.trace.spans().iter().map(|span| span.start_us).min();
    let from = first_start.unwrap_or(run.called.start_us);
    let held = longest_stretch_below(&run.trace, WORKERS, from, run.called.end_us);
    let wanted = TIMEOUT * 3 / 4;
    if held < wanted.as_micros() as u64 {
        panic!(
            "from the first job's start to the return of run_pool, fewer than {WORKERS} jobs \
             ran at once for at most {} ms at a stretch, though a worker held by job {} (n = 7) \
             until the {TIMEOUT:?} timeout leaves only {} workers doing jobs for that long (at \
             least {} ms are expected): was that job ever sent to a worker? It is reported as \
             timed out because its worker did not answer in time, not skipped{}",
            held / 1000,
            run.stuck.id,
            WORKERS - 1,
            wanted.as_millis(),
            picture(&run.trace, "slow_square calls")
        );
    }
}

#[test]
fn the_stuck_worker_is_replaced() {
    let run = run();
    let pids = run.trace.distinct_pids();
    if pids < WORKERS {
        panic!(
            "only {pids} worker processes finished jobs; the pool has {WORKERS} workers, and one \
             of them got stuck on job {} at the start. Once the stuck worker is killed, start \
             a new worker in its place: the queue still had work for it.{}",
            run.stuck.id,
            picture(&run.trace, "slow_square calls")
        );
    }
}

#[test]
fn workers_run_at_the_same_time() {
    let run = run();
    assert_done_by_workers(&run);
    assert_peak_overlap_at_least(&run.trace, WORKERS, "slow_square calls");
    assert_peak_overlap_at_most(&run.trace, WORKERS, "slow_square calls");
    let pids = run.trace.distinct_pids();
    if pids > WORKERS {
        panic!(
            "the {} finished jobs were done by {pids} different processes; the pool has \
             {WORKERS} workers, and the stuck one (which finishes nothing) is replaced once, so \
             at most {WORKERS} processes should finish jobs: a pool sends each worker job after \
             job, instead of starting a process per job{}",
            JOBS - 1,
            picture(&run.trace, "slow_square calls")
        );
    }
    let sequential = TIMEOUT + SQUARE * (JOBS as u32 - 1);
    let ideal = TIMEOUT + SQUARE * ((JOBS - 1).div_ceil(WORKERS) as u32);
    assert_wall_below(
        run.called.elapsed(),
        (sequential + ideal) / 2,
        sequential,
        &format!("run_pool ({JOBS} jobs, one stuck, {WORKERS} workers, timeout {TIMEOUT:?})"),
    );
}

#[test]
fn no_worker_is_left_behind() {
    let _ = run();
    assert_no_children();
}
