//! Hidden checks for `07_choosing/three_ways`.
//!
//! One job, three ways (threads, processes, async), two workloads: I/O-bound (8 posts from
//! the mock API, 200 ms each) and CPU-bound (6 `crunch`es, ~40 ms of one core each). Each
//! approach × workload check measures its run (`concur_kit::experiment`) and publishes the
//! measurement before asserting anything, so concur's comparison table is complete even when
//! a check fails. What is asserted is only how each way is concurrent, from the trace: requests
//! in flight together at the API; crunches overlapping on several threads, in several
//! processes, or (async) off the runtime's one thread. Speeds are shown, never compared: a busy
//! machine could flip them. The worker processes are the learner's program
//! (`CONCUR_EXERCISE_BIN`); their crunches reach the check's bench through its witness socket.
//! `tests/variants/07_choosing/` holds a wrong version for every timing and cleanup check.

use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use concur_kit::api::{ApiConfig, MockApi};
use concur_kit::check::{assert_distinct_pids_at_least, panic_message};
use concur_kit::experiment::{Measurement, Stopwatch};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;
use concur_kit::workload::crunch;

use crate::exercise::{with_async, with_processes, with_threads, Error, Work};

/// Also the mock API's own latency, in case a request comes without `?latency_ms=`.
const LATENCY: Duration = Duration::from_millis(200);
/// Posts 101..=500 have authors 1..=100 (`(id - 1) % 100 + 1`), never the id itself.
const POSTS: [u64; 8] = [101, 214, 327, 433, 158, 262, 375, 499];
const NUMBERS: [u64; 6] = [11, 22, 33, 44, 55, 66];
/// Half the posts at once: far from the 1 of one request after another, and safe even when a
/// busy machine starts the last thread or process late.
const MIN_IN_FLIGHT: usize = POSTS.len() / 2;
/// Two crunches at once is what two cores can do; more is welcome, not needed.
const MIN_CRUNCHING: usize = 2;
/// One after another takes 8 × 200 ms plus start-up; a call not back by then is stuck.
const DEADLINE: Duration = Duration::from_secs(6);

const IO: &str = "I/O-bound";
const CPU: &str = "CPU-bound";

/// What the learner's function returned, its error as text.
type Outcome = Result<Vec<u64>, String>;

/// What a measured run produced: the outcome, the trace of the work, the measurement.
struct Run {
    outcome: Outcome,
    trace: Trace,
    measurement: Measurement,
}

fn start_api() -> Arc<MockApi> {
    let api = MockApi::start(ApiConfig {
        latency: LATENCY,
        ..ApiConfig::default()
    })
    .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"));
    Arc::new(api)
}

fn author_of(post: u64) -> u64 {
    (post - 1) % 100 + 1
}

fn function_for(approach: &str) -> &'static str {
    match approach {
        "threads" => "with_threads",
        "processes" => "with_processes",
        _ => "with_async",
    }
}

/// Runs `f` on its own thread, so a call that never returns fails with a message instead of
/// being killed by the time limit; a panic in `f` is reported with its own message.
fn guarded<T: Send + 'static>(what: &'static str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        // If the receiver is gone the check has already failed; nothing left to tell.
        let _ = done_tx.send(f());
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("{what} panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not return within {DEADLINE:?}, although one item after another takes \
             well under that: is it waiting for something that never comes?"
        ),
    }
}

/// Runs `call` guarded, between `Stopwatch::start` and `stop` on the calling thread; `work`
/// then gives the trace of what it did. The measurement is published before anything is
/// asserted, so concur's table is complete even when the check fails.
fn measured<C, W>(approach: &'static str, workload: &'static str, call: C, work: W) -> Run
where
    C: FnOnce() -> Result<Vec<u64>, Error> + Send + 'static,
    W: FnOnce() -> Trace + Send + 'static,
{
    let run = guarded(function_for(approach), move || {
        let stopwatch = Stopwatch::start(approach, workload);
        let outcome = call().map_err(|error| error.to_string());
        let trace = work();
        let measurement = stopwatch.stop(&trace);
        Run {
            outcome,
            trace,
            measurement,
        }
    });
    run.measurement.publish();
    run
}

/// The results, or a failure naming the function and its error.
#[track_caller]
fn results_of<'a>(approach: &str, outcome: &'a Outcome) -> &'a [u64] {
    match outcome {
        Ok(results) => results,
        Err(error) => panic!("{} returned an error: {error}", function_for(approach)),
    }
}

/// `with_async` driven the way every check drives it: on a single-threaded tokio runtime,
/// whose one thread is the caller's.
fn on_one_thread_runtime(work: &Work, ids: &[u64]) -> Result<Vec<u64>, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("could not build a tokio runtime (not your code): {error}"));
    runtime.block_on(with_async(work, ids))
}

/// Calls `approach`'s function, unmeasured.
fn call(approach: &'static str, work: Work, ids: Vec<u64>) -> Outcome {
    let program = (approach == "processes").then(exercise_program);
    guarded(function_for(approach), move || {
        let results = match approach {
            "threads" => with_threads(&work, &ids),
            "processes" => with_processes(program.as_deref().expect("set above"), &work, &ids),
            _ => on_one_thread_runtime(&work, &ids),
        };
        results.map_err(|error| error.to_string())
    })
}

/// Every approach must give these, in this order.
#[track_caller]
fn assert_right_results(approach: &'static str) {
    let api = start_api();
    let posts = vec![205, 107, 318, 107];
    let fetched = call(
        approach,
        Work::Fetch {
            base_url: api.url(),
        },
        posts.clone(),
    );
    let authors: Vec<u64> = posts.iter().map(|&post| author_of(post)).collect();
    assert_eq!(
        results_of(approach, &fetched),
        authors,
        "{}(&Work::Fetch {{ .. }}, &{posts:?}) must return each post's author (its user_id), \
         in the order of the ids (left: what came back, right: what was expected)",
        function_for(approach)
    );
    let numbers = vec![3, 1, 2];
    let crunched = call(approach, Work::Crunch, numbers.clone());
    let expected: Vec<u64> = numbers.iter().map(|&n| crunch(n)).collect();
    assert_eq!(
        results_of(approach, &crunched),
        expected,
        "{}(&Work::Crunch, &{numbers:?}) must return crunch(n) for each number, in the order \
         of the numbers (left: what came back, right: what was expected)",
        function_for(approach)
    );
}

/// `approach` on the I/O-bound workload, measured; the trace is the API's, one row per request.
fn io_run(approach: &'static str, api: &Arc<MockApi>) -> Run {
    let work = Work::Fetch {
        base_url: api.url(),
    };
    let program = (approach == "processes").then(exercise_program);
    let api = Arc::clone(api);
    measured(
        approach,
        IO,
        move || match approach {
            "threads" => with_threads(&work, &POSTS),
            "processes" => with_processes(program.as_deref().expect("set above"), &work, &POSTS),
            _ => on_one_thread_runtime(&work, &POSTS),
        },
        move || api.trace(),
    )
}

/// `approach` on the CPU-bound workload, measured; the trace is the crunches, wherever they ran
/// (here for threads and async, in the worker processes for processes, which report them to
/// the bench's witness socket).
fn cpu_run(approach: &'static str) -> Run {
    let bench = match approach {
        "processes" => Bench::start().with_children(),
        _ => Bench::start(),
    };
    let live = bench.live();
    let crunches = move || Trace::from_spans(live.spans());
    match approach {
        "threads" => measured(
            approach,
            CPU,
            || with_threads(&Work::Crunch, &NUMBERS),
            crunches,
        ),
        "processes" => {
            let program = exercise_program();
            measured(
                approach,
                CPU,
                move || with_processes(&program, &Work::Crunch, &NUMBERS),
                crunches,
            )
        }
        _ => measured(
            approach,
            CPU,
            || on_one_thread_runtime(&Work::Crunch, &NUMBERS),
            crunches,
        ),
    }
}

/// At least `min` of the units of work in `trace` were under way at one instant; if not, the
/// message says how many were and `hint` says what to look at.
#[track_caller]
fn assert_at_once(trace: &Trace, min: usize, what: &str, hint: &str) {
    if trace.is_empty() {
        panic!("no {what} were recorded at all: does your code still do every item?");
    }
    let peak = trace.peak_overlap();
    if peak < min {
        panic!(
            "at most {peak} of the {n} {what} were under way at the same time; expected at least \
             {min} at once. {hint}{picture}",
            n = trace.len(),
            picture = picture(trace, what),
        );
    }
}

// ---- threads ----

#[test]
fn threads_return_every_result_in_order() {
    assert_right_results("threads");
}

#[test]
fn threads_fetch_the_posts_at_once() {
    let api = start_api();
    let run = io_run("threads", &api);
    results_of("threads", &run.outcome);
    assert_at_once(
        &run.trace,
        MIN_IN_FLIGHT,
        "requests for posts",
        "Are the items still done one after another, or is each thread joined before the next \
         is spawned? A thread that waits for its answer holds up only itself: spawn a thread per \
         item first, then join them.",
    );
}

#[test]
fn threads_crunch_side_by_side() {
    let run = cpu_run("threads");
    results_of("threads", &run.outcome);
    assert_at_once(
        &run.trace,
        MIN_CRUNCHING,
        "crunches",
        "Are the items still done one after another, or is each thread joined before the next \
         is spawned? Each core can crunch a number at the same time as the others, each number \
         on a thread of its own: spawn a thread per item first, then join them.",
    );
}

// ---- processes ----

#[test]
fn processes_return_every_result_in_order() {
    assert_right_results("processes");
}

#[test]
fn processes_fetch_the_posts_at_once() {
    let api = start_api();
    let run = io_run("processes", &api);
    results_of("processes", &run.outcome);
    assert_at_once(
        &run.trace,
        MIN_IN_FLIGHT,
        "requests for posts",
        "Does each worker start only once the one before it has finished? `output()` waits \
         for the worker it starts: `spawn()` them all, then wait for each.",
    );
}

#[test]
fn processes_crunch_side_by_side() {
    let run = cpu_run("processes");
    results_of("processes", &run.outcome);
    let here = std::process::id();
    let in_here = run
        .trace
        .spans()
        .iter()
        .filter(|span| span.pid == here)
        .count();
    assert!(
        in_here == 0,
        "{in_here} of the {} crunches ran in the calling process itself (pid {here}), not in a \
         worker: with processes, every item is done by a worker that `worker_command` starts",
        run.trace.len()
    );
    assert_distinct_pids_at_least(&run.trace, MIN_CRUNCHING, "crunches");
    assert_at_once(
        &run.trace,
        MIN_CRUNCHING,
        "crunches",
        "Does each worker start only once the one before it has finished? `output()` waits \
         for the worker it starts: `spawn()` them all, then wait for each.",
    );
}

#[test]
fn every_worker_process_is_waited_for() {
    let outcome = call("processes", Work::Crunch, vec![5, 6, 7]);
    results_of("processes", &outcome);
    assert_no_children();
}

// ---- async ----

#[test]
fn async_returns_every_result_in_order() {
    assert_right_results("async");
}

#[test]
fn async_fetches_the_posts_at_once() {
    let api = start_api();
    let run = io_run("async", &api);
    results_of("async", &run.outcome);
    assert_at_once(
        &run.trace,
        MIN_IN_FLIGHT,
        "requests for posts",
        "Is each request awaited before the next one is sent? `.await` waits right there: \
         start every request as a task first (`tokio::spawn`), then await them.",
    );
}

#[test]
fn async_runs_crunches_side_by_side() {
    let run = cpu_run("async");
    results_of("async", &run.outcome);
    assert_at_once(
        &run.trace,
        MIN_CRUNCHING,
        "crunches",
        "A single-threaded runtime runs one task at a time, and a crunch never awaits, so \
         crunches in tasks (or awaited one by one) run one after another. Start each crunch \
         with `tokio::task::spawn_blocking`, all of them before awaiting any.",
    );
}

#[test]
fn async_keeps_crunching_off_the_runtime_thread() {
    let bench = Bench::start();
    let (outcome, runtime_thread) = guarded("with_async", || {
        let runtime_thread = format!("{:?}", thread::current().id());
        let outcome = on_one_thread_runtime(&Work::Crunch, &NUMBERS).map_err(|e| e.to_string());
        (outcome, runtime_thread)
    });
    results_of("async", &outcome);
    let trace = bench.trace();
    assert!(
        !trace.is_empty(),
        "no crunches were recorded at all: did with_async call crunch?"
    );
    let on_runtime = trace
        .spans()
        .iter()
        .filter(|span| span.thread == runtime_thread)
        .count();
    assert!(
        on_runtime == 0,
        "{on_runtime} of the {} crunches ran on the runtime's own thread, the one that runs \
         every task. A crunch never awaits, so while it computes that thread runs nothing else: \
         no other task, no request, no timer makes progress. Hand CPU work to the threads tokio \
         keeps for blocking work: `tokio::task::spawn_blocking`.",
        trace.len()
    );
}
