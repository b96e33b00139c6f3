//! Hidden checks for `04_processes/ordered_results`.
//!
//! The pool's workers are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program worker`. Every run draws eight jobs (seeded, replayable with
//! `concur verify ordered_results --seed N`): ids in no order (never increasing, so sorting by
//! id does not restore the order), numbers, and lengths of 150–350 ms, with a 400 ms job
//! first, so a pool working in parallel finishes them out of order; the results must still
//! come back in the order of the jobs. Each job reports a `job {id}` span to the check's
//! bench through its witness socket, with the pid the kernel gives, so the check sees which
//! processes did the work and when: every result is tied to one span in a worker, inside the
//! call, the work runs on exactly `WORKERS` processes, as many at once, and the call takes
//! less than halfway between one job after another and a fair share per worker.
//!
//! Which wrong variant (`tests/variants/04_processes/ordered_results_*.rs`) bites which check:
//! - `results_come_back_in_the_order_of_the_jobs`: `_finish_order`, `_sorted_by_id`;
//! - `workers_run_at_the_same_time`: `_one_worker`;
//! - both: `_short_jobs` (the given `do_job`, in the learner's file, edited to work less than
//!   each job asks for; the witness times every span).

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

const WORKERS: usize = 4;
const JOBS: usize = 8;
/// The first job's length: longer than any other.
const LONGEST: u64 = 400;
/// Ideal: about 0.6 s plus process start-up; one worker alone needs about 2 s.
const DEADLINE: Duration = Duration::from_secs(6);

/// What one run of the learner's pool was given and produced.
struct Run {
    jobs: Vec<Job>,
    called: Called<Vec<JobResult>>,
    trace: Trace,
}

impl Run {
    fn sequential(&self) -> Duration {
        Duration::from_millis(self.jobs.iter().map(|job| job.millis).sum())
    }

    /// A fair share per worker plus the longest job: what a pool needs at worst.
    fn ideal(&self) -> Duration {
        self.sequential() / WORKERS as u32 + Duration::from_millis(LONGEST)
    }
}

/// The jobs of this run: ids never in increasing order, the longest job first.
fn jobs(inputs: &mut Inputs) -> Vec<Job> {
    let mut ids = inputs.distinct(JOBS, 1, 999);
    if ids.windows(2).all(|pair| pair[0] < pair[1]) {
        ids.reverse();
    }
    let numbers = inputs.distinct(JOBS, 2, 9_999);
    ids.into_iter()
        .zip(numbers)
        .enumerate()
        .map(|(at, (id, n))| {
            let millis = if at == 0 { LONGEST } else { 50 * inputs.between(3, 7) };
            Job { id, n, millis }
        })
        .collect()
}

/// Runs the learner's pool on the jobs of this run and returns its results and the trace of
/// the work its worker processes did.
fn run() -> Run {
    let jobs = jobs(&mut Inputs::new());
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let given = jobs.clone();
    let called = call_hinting(
        "run_pool",
        DEADLINE,
        "Is it waiting for a worker that is itself waiting for more input? A worker \
             stops when its stdin is closed.",
        move || run_pool(&program, &given, WORKERS),
    );
    let trace = bench.trace();
    let Called { value, start_us, end_us } = called;
    let results = value.unwrap_or_else(|error| panic!("run_pool returned an error: {error}"));
    Run { jobs, called: Called { value: results, start_us, end_us }, trace }
}

/// Every result is tied to one `job {id}` span of the length its job asked for, in a worker
/// process, inside the call.
#[track_caller]
fn assert_done_by_workers(run: &Run) {
    assert_inside(&run.trace, &run.called, "jobs", "run_pool");
    let me = std::process::id();
    let here = run.trace.spans().iter().filter(|span| span.pid == me).count();
    if here > 0 {
        panic!(
            "{here} of the {} jobs ran in this process (pid {me}), not in a worker: run_pool \
             must send every job to a worker process{}",
            run.trace.len(),
            picture(&run.trace, "jobs")
        );
    }
    let labels: Vec<String> = run.jobs.iter().map(|job| format!("job {}", job.id)).collect();
    assert_each_once(&run.trace, &labels, "jobs (one span per job, in a worker)");
    for job in &run.jobs {
        let label = format!("job {}", job.id);
        let took = run
            .trace
            .spans()
            .iter()
            .find(|span| span.label == label)
            .map_or(Duration::ZERO, |span| span.duration());
        // Sleeping never ends early; 10 ms of rounding for the witness's clock.
        if took + Duration::from_millis(10) < Duration::from_millis(job.millis) {
            panic!(
                "job {} took {} ms in its worker, but it asks for {} ms: the given `do_job` \
                 works for `job.millis` milliseconds; leave it as it is{}",
                job.id,
                took.as_millis(),
                job.millis,
                picture(&run.trace, "jobs")
            );
        }
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
    let run = run();
    let got: Vec<(u64, u64)> = run.called.value.iter().map(|r| (r.id, r.result)).collect();
    let expected: Vec<(u64, u64)> = run.jobs.iter().map(|job| (job.id, job.n * job.n)).collect();
    assert_all_once(&got, &expected, "(id, result) pairs from run_pool");
    if got != expected {
        let got_ids: Vec<u64> = got.iter().map(|&(id, _)| id).collect();
        let want_ids: Vec<u64> = expected.iter().map(|&(id, _)| id).collect();
        panic!(
            "run_pool returned the results of jobs {got_ids:?}, in that order; the jobs were \
             given in the order {want_ids:?}, and the results must follow it. The work \
             finished in the order [{}]: remember each job's position in `jobs` and put its \
             result back there.",
            finish_order(&run.trace).join(", ")
        );
    }
    assert_done_by_workers(&run);
}

#[test]
fn workers_run_at_the_same_time() {
    let run = run();
    assert_done_by_workers(&run);
    assert_distinct_pids_at_least(&run.trace, WORKERS, "jobs");
    let pids = run.trace.distinct_pids();
    if pids > WORKERS {
        panic!(
            "the {JOBS} jobs were done by {pids} different processes, but the pool has \
             {WORKERS} workers: a pool sends each worker job after job, instead of starting a \
             process per job{}",
            picture(&run.trace, "jobs")
        );
    }
    assert_peak_overlap_at_least(&run.trace, WORKERS, "jobs");
    assert_peak_overlap_at_most(&run.trace, WORKERS, "jobs");
    assert_wall_below(
        run.called.elapsed(),
        (run.sequential() + run.ideal()) / 2,
        run.sequential(),
        &format!("run_pool ({JOBS} jobs of 150–400 ms, {WORKERS} workers)"),
    );
}

#[test]
fn every_worker_is_waited_for() {
    let _ = run();
    assert_no_children();
}
