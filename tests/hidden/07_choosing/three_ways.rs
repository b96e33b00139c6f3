//! Hidden checks for `07_choosing/three_ways`.
//!
//! One job, three ways (threads, processes, async), two workloads. I/O-bound: 8 posts from the
//! mock API, each held 200 ms (the given `post_url` asks for it), whose authors depend on how
//! many users this run's API has. CPU-bound: 6 `crunch`es of the kit (~40 ms of one core each,
//! real computation). Every run draws the posts, the API's number of users and the numbers to
//! crunch (`seed::Inputs`, replayable with `concur verify three_ways --seed N`), so no answer can
//! be written down in advance. Every call goes through the kit's `call`; every request the API
//! logged and every crunch span must lie inside it, and each item must be requested or crunched
//! exactly once.
//!
//! What is asserted is how each way is concurrent, as the statement asks, on facts no machine
//! changes. I/O: more than half of the requests in flight together at the API, and the call
//! well under one request after another (halfway). CPU: structure only, never speed — a thread
//! per crunch (`with_threads`), a process per crunch and none in the caller
//! (`with_processes`), crunches off the runtime's one thread while it keeps running other
//! tasks (`with_async`), and at least two crunches under way at once. The rayon pool is fixed
//! at 2 threads in every check, so code that hands "a thread per item" to rayon fails the same
//! way on 2 cores and on 16 (or with `RAYON_NUM_THREADS=16`). For async the statement accepts
//! `spawn_blocking` (or any thread) for the crunches, not for the requests: a probe task on the
//! check's runtime must keep ticking while `with_async` waits (`Ticker`), and the requests may
//! not take a thread each. Each approach × workload check also publishes its measurement for
//! concur's comparison table (shown, never compared).
//!
//! Which wrong variant (`tests/variants/07_choosing/three_ways_*.rs`) bites which check:
//! - `threads_fetch_the_posts_at_once`, `threads_crunch_side_by_side`: `_threads_join_each`;
//!   `_threads_rayon` (rayon's `par_iter`: 2 threads, whatever the machine);
//! - `processes_fetch_the_posts_at_once`, `processes_crunch_side_by_side`:
//!   `_processes_one_at_a_time`; `processes_crunch_side_by_side`: `_processes_crunch_here`
//!   (the parent crunches, a decoy worker per item answers);
//! - `every_worker_process_is_waited_for`: `_processes_no_wait`;
//! - `async_fetches_the_posts_at_once`, `async_runs_crunches_side_by_side`: `_async_await_each`;
//! - `async_keeps_crunching_off_the_runtime_thread`: `_async_crunch_on_runtime`,
//!   `_async_scoped_threads` (scoped threads joined inside the async fn block the runtime);
//! - `async_fetching_leaves_the_runtime_free`: `_async_scoped_threads`;
//! - `async_fetches_without_a_thread_per_request`: `_async_scoped_threads`,
//!   `_async_spawn_blocking_fetch` (`do_one` in `spawn_blocking` per request).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use concur_kit::api::{ApiConfig, MockApi};
use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_all_once, assert_distinct_pids_at_least, assert_each_once, assert_inside,
    assert_wall_below,
};
use concur_kit::experiment::{Measurement, Stopwatch};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::ticker::{assert_responsive, Ticker, PERIOD};
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::{now_us, Trace};
use concur_kit::workload::crunch;

use crate::exercise::{with_async, with_processes, with_threads, Work};

/// What the given `post_url` asks the mock API to hold each answer for; also the API's own
/// latency, for a request that comes without `?latency_ms=`.
const LATENCY: Duration = Duration::from_millis(200);
/// Items of the measured runs, as the statement says.
const POSTS: usize = 8;
const NUMBERS: usize = 6;
/// More than half of the requests at once: a pool of a few threads (rayon's 2) falls short,
/// a thread, process or task per item gets all 8 even when the last one starts late.
const MIN_IN_FLIGHT: usize = POSTS / 2 + 1;
/// Two crunches at once: what two busy cores still show, and what one after another never does.
const MIN_CRUNCHING: usize = 2;
/// rayon's pool in every check, so its size is not the machine's.
const RAYON_THREADS: usize = 2;
/// Starting 8 worker processes, generously (a busy machine included).
const STARTUP: Duration = Duration::from_millis(150);
/// The longest the runtime may go without running the check's probe while requests of 200 ms
/// are awaited: a runtime blocked for one of them shows 200 ms and more.
const MAX_GAP: Duration = Duration::from_millis(120);
/// Threads `with_async` may use for 8 requests: the runtime's own, and one to spare.
const MAX_ASYNC_IO_THREADS: usize = 2;
/// One after another takes 8 × 200 ms plus start-up; a call not back by then is stuck.
const DEADLINE: Duration = Duration::from_secs(6);

const IO: &str = "I/O-bound";
const CPU: &str = "CPU-bound";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Threads,
    Processes,
    Async,
}

impl Way {
    fn name(self) -> &'static str {
        match self {
            Way::Threads => "threads",
            Way::Processes => "processes",
            Way::Async => "async",
        }
    }

    fn function(self) -> &'static str {
        match self {
            Way::Threads => "with_threads",
            Way::Processes => "with_processes",
            Way::Async => "with_async",
        }
    }
}

/// Fixes rayon's global pool before any learner code runs, so a verdict never depends on
/// how many cores the machine has.
fn fix_rayon() {
    // Fails only if the pool was built already, in which case it is this size too.
    let _ = rayon::ThreadPoolBuilder::new().num_threads(RAYON_THREADS).build_global();
}

/// A mock API for this run: its number of users (which decides every post's author) and its
/// salt drawn from `inputs`.
struct Api {
    api: Arc<MockApi>,
    users: u32,
}

impl Api {
    fn start(inputs: &mut Inputs) -> Api {
        let users = inputs.between(37, 97) as u32;
        let api = MockApi::start(ApiConfig {
            latency: LATENCY,
            users,
            salt: inputs.salt(1) | 1,
            ..ApiConfig::default()
        })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"));
        Api { api: Arc::new(api), users }
    }

    fn work(&self) -> Work {
        Work::Fetch { base_url: self.api.url() }
    }

    fn author_of(&self, post: u64) -> u64 {
        (post - 1) % u64::from(self.users) + 1
    }
}

/// What the learner's function returned, its error as text.
type Outcome = Result<Vec<u64>, String>;

/// What the check's probe saw on the runtime that drove `with_async`.
#[derive(Default)]
struct Probe {
    /// The runtime's one thread, as spans name threads.
    thread: String,
    /// When the probe task ran, on the spans' clock.
    ticks: Vec<u64>,
    /// The longest the runtime went without running the kit's ticker.
    longest_gap: Duration,
}

/// One call of one way on one workload: its outcome and window, the work's trace, the
/// measurement, and (async) the probe.
struct Run {
    way: Way,
    ids: Vec<u64>,
    called: Called<Outcome>,
    trace: Trace,
    measurement: Measurement,
    probe: Probe,
}

impl Run {
    fn what(&self) -> String {
        format!("{} on {} items", self.way.function(), self.ids.len())
    }

    /// The results, or a failure naming the function and its error.
    #[track_caller]
    fn results(&self) -> &[u64] {
        match &self.called.value {
            Ok(results) => results,
            Err(error) => panic!("{} returned an error: {error}", self.way.function()),
        }
    }
}

/// `with_async` driven the way every check drives it: on a single-threaded tokio runtime,
/// whose one thread is the caller's, next to the check's probe tasks.
fn on_one_thread_runtime(work: &Work, ids: &[u64]) -> (Outcome, u64, u64, Probe) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("could not build a tokio runtime (not your code): {error}"));
    runtime.block_on(async {
        let thread = format!("{:?}", thread::current().id());
        let ticks = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let probe = tokio::spawn({
            let (ticks, stop) = (Arc::clone(&ticks), Arc::clone(&stop));
            async move {
                while !stop.load(Ordering::SeqCst) {
                    tokio::time::sleep(PERIOD).await;
                    ticks.lock().unwrap_or_else(|e| e.into_inner()).push(now_us());
                }
            }
        });
        let ticker = Ticker::start(PERIOD);
        // Lets both take their first tick before the call can block the thread.
        tokio::time::sleep(PERIOD * 2).await;
        let start_us = now_us();
        let outcome = with_async(work, ids).await.map_err(|error| error.to_string());
        let end_us = now_us();
        let longest_gap = ticker.stop().await;
        stop.store(true, Ordering::SeqCst);
        let _ = probe.await;
        let ticks = std::mem::take(&mut *ticks.lock().unwrap_or_else(|e| e.into_inner()));
        (outcome, start_us, end_us, Probe { thread, ticks, longest_gap })
    })
}

/// Calls `way`'s function on `ids` under the kit's deadline, measured; `work_done` then gives
/// the trace of what it did.
fn run(
    way: Way,
    work: &Work,
    ids: &[u64],
    workload: &'static str,
    work_done: impl FnOnce() -> Trace + Send + 'static,
) -> Run {
    fix_rayon();
    let program = (way == Way::Processes).then(exercise_program);
    let (work, owned) = (work.clone(), ids.to_vec());
    let what = format!("{} on {} items", way.function(), ids.len());
    let called = call(&what, DEADLINE, move || {
        let stopwatch = Stopwatch::start(way.name(), workload);
        let start_us = now_us();
        let (outcome, start_us, end_us, probe) = match way {
            Way::Threads => {
                let outcome = with_threads(&work, &owned).map_err(|error| error.to_string());
                (outcome, start_us, now_us(), Probe::default())
            }
            Way::Processes => {
                let program = program.as_deref().expect("set for processes");
                let outcome =
                    with_processes(program, &work, &owned).map_err(|error| error.to_string());
                (outcome, start_us, now_us(), Probe::default())
            }
            Way::Async => on_one_thread_runtime(&work, &owned),
        };
        let trace = work_done();
        let measurement = stopwatch.stop(&trace);
        (Called { value: outcome, start_us, end_us }, trace, measurement, probe)
    });
    let (called, trace, measurement, probe) = called.value;
    Run { way, ids: ids.to_vec(), called, trace, measurement, probe }
}

/// `way` on the I/O-bound workload: the trace is the API's, one row per request.
fn io_run(way: Way, api: &Api, posts: &[u64]) -> Run {
    let log = Arc::clone(&api.api);
    run(way, &api.work(), posts, IO, move || log.trace())
}

/// `way` on the CPU-bound workload: the trace is the crunches, wherever they ran (here, or in
/// the worker processes, which report them to the bench's witness socket).
fn cpu_run(way: Way, numbers: &[u64]) -> (Bench, Run) {
    let bench = match way {
        Way::Processes => Bench::start().with_children(),
        _ => Bench::start(),
    };
    let live = bench.live();
    let run = run(way, &Work::Crunch, numbers, CPU, move || Trace::from_spans(live.spans()));
    (bench, run)
}

/// `count` distinct posts (the API has posts 1..=500).
fn draw_posts(inputs: &mut Inputs, count: usize) -> Vec<u64> {
    inputs.distinct(count, 1, 500)
}

/// `count` distinct numbers to crunch.
fn draw_numbers(inputs: &mut Inputs, count: usize) -> Vec<u64> {
    inputs.distinct(count, 1, 999_999)
}

/// Every request the API logged lay inside the call, each post was requested once per time it
/// was asked for, and each answer was held as the given `post_url` asks.
#[track_caller]
fn assert_requests(run: &Run, api: &Api) {
    let log = api.api.log();
    let paths: Vec<String> =
        log.iter().map(|r| r.path.split('?').next().unwrap_or("").to_string()).collect();
    let wanted: Vec<String> = run.ids.iter().map(|id| format!("/posts/{id}")).collect();
    let what = format!("requests the mock API received from {}", run.what());
    assert_all_once(&paths, &wanted, &what);
    assert_inside(&api.api.trace(), &run.called, "requests", run.way.function());
    let tolerance = Duration::from_millis(5);
    if let Some(short) = log.iter().find(|r| {
        Duration::from_micros(r.end_us.saturating_sub(r.start_us)) + tolerance < LATENCY
    }) {
        panic!(
            "the API answered {} at once; the given post_url asks it to hold every answer for \
             {}: leave post_url as it is, the checks count on that wait",
            short.path,
            fmt_duration(LATENCY)
        );
    }
}

/// Each number was crunched once, inside the call.
#[track_caller]
fn assert_crunches(run: &Run) {
    let labels: Vec<String> = run.ids.iter().map(|n| format!("crunch({n})")).collect();
    assert_each_once(&run.trace, &labels, &format!("crunches of {}", run.what()));
    assert_inside(&run.trace, &run.called, "crunches", run.way.function());
}

/// At least `min` of the units of work in `trace` were under way at one instant; if not, the
/// message says how many were and `hint` says what to look at.
#[track_caller]
fn assert_at_once(trace: &Trace, min: usize, what: &str, hint: &str) {
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

/// The call took less than halfway between one request's wait (plus `startup`) and one
/// request after another.
#[track_caller]
fn assert_io_wall(run: &Run, startup: Duration) {
    let sequential = LATENCY * run.ids.len() as u32;
    let ideal = LATENCY + startup;
    assert_wall_below(
        run.called.elapsed(),
        ideal + sequential.saturating_sub(ideal) / 2,
        sequential,
        &format!("{} ({} requests of {})", run.what(), run.ids.len(), fmt_duration(LATENCY)),
    );
}

/// Every way must give these, in this order: each post's author (one post asked twice, each
/// its own request), and `crunch(n)` of each number.
#[track_caller]
fn assert_right_results(way: Way) {
    let mut inputs = Inputs::new();
    let api = Api::start(&mut inputs);
    let mut posts = draw_posts(&mut inputs, 4);
    posts.push(posts[inputs.between(0, 3) as usize]);
    inputs.shuffle(&mut posts);
    let fetched = io_run(way, &api, &posts);
    let authors: Vec<u64> = posts.iter().map(|&post| api.author_of(post)).collect();
    assert_eq!(
        fetched.results(),
        authors,
        "{}(&Work::Fetch {{ .. }}, &{posts:?}) must return each post's author (its user_id, as \
         the API served it), in the order of the ids (left: what came back, right: what was \
         expected)",
        way.function()
    );
    assert_requests(&fetched, &api);

    let numbers = draw_numbers(&mut inputs, 3);
    let (_bench, crunched) = cpu_run(way, &numbers);
    let expected: Vec<u64> = numbers.iter().map(|&n| crunch(n)).collect();
    assert_eq!(
        crunched.results(),
        expected,
        "{}(&Work::Crunch, &{numbers:?}) must return crunch(n) for each number, in the order \
         of the numbers (left: what came back, right: what was expected)",
        way.function()
    );
    assert_crunches(&crunched);
}

/// `way` on 8 posts: more than half in flight at once, well under one after another.
fn assert_fetches_at_once(way: Way, hint: &str) -> Run {
    let mut inputs = Inputs::new();
    let api = Api::start(&mut inputs);
    let posts = draw_posts(&mut inputs, POSTS);
    let run = io_run(way, &api, &posts);
    run.measurement.publish();
    run.results();
    assert_requests(&run, &api);
    assert_at_once(&run.trace, MIN_IN_FLIGHT, "requests for posts", hint);
    let startup = if way == Way::Processes { STARTUP } else { Duration::ZERO };
    assert_io_wall(&run, startup);
    run
}

/// `way` on 6 numbers, measured (and published for the table when `publish`), with every
/// crunch done once inside the call.
fn crunch_run(way: Way, publish: bool) -> (Bench, Run) {
    let numbers = draw_numbers(&mut Inputs::new(), NUMBERS);
    let (bench, run) = cpu_run(way, &numbers);
    if publish {
        run.measurement.publish();
    }
    run.results();
    assert_crunches(&run);
    (bench, run)
}

// ---- threads ----

#[test]
fn threads_return_every_result_in_order() {
    assert_right_results(Way::Threads);
}

#[test]
fn threads_fetch_the_posts_at_once() {
    assert_fetches_at_once(
        Way::Threads,
        "Are the items still done one after another, or is each thread joined before the next \
         is spawned, or handed to a pool of a few threads (rayon's pool here has 2)? A thread \
         that waits for its answer holds up only itself: spawn a thread per item first, then \
         join them.",
    );
}

#[test]
fn threads_crunch_side_by_side() {
    let (_bench, run) = crunch_run(Way::Threads, true);
    let threads = run.trace.distinct_threads();
    if threads < run.ids.len() {
        panic!(
            "the {} crunches ran on {threads} thread(s); the statement asks for a thread per \
             item, {} here. A pool (rayon's has {RAYON_THREADS} threads in this check, whatever \
             the machine) is another way, not this one: spawn a thread for each item.{}",
            run.trace.len(),
            run.ids.len(),
            picture(&run.trace, "crunches")
        );
    }
    assert_at_once(
        &run.trace,
        MIN_CRUNCHING,
        "crunches",
        "Is each thread joined before the next is spawned? Each core can crunch a number at \
         the same time as the others, each number on a thread of its own: spawn a thread per \
         item first, then join them.",
    );
}

// ---- processes ----

#[test]
fn processes_return_every_result_in_order() {
    assert_right_results(Way::Processes);
}

#[test]
fn processes_fetch_the_posts_at_once() {
    let run = assert_fetches_at_once(
        Way::Processes,
        "Does each worker start only once the one before it has finished? `output()` waits \
         for the worker it starts: `spawn()` them all, then wait for each.",
    );
    let workers = run.measurement.processes;
    if workers < MIN_IN_FLIGHT {
        panic!(
            "at most {workers} worker process(es) were alive at once while the {} requests \
             were in flight; with a worker process per item, all {} are: the requests must be \
             made by the workers that `worker_command` starts, not by the caller",
            run.ids.len(),
            run.ids.len()
        );
    }
}

#[test]
fn processes_crunch_side_by_side() {
    let (_bench, run) = crunch_run(Way::Processes, true);
    let here = std::process::id();
    let in_here = run.trace.spans().iter().filter(|span| span.pid == here).count();
    if in_here > 0 {
        panic!(
            "{in_here} of the {} crunches ran in the calling process itself (pid {here}), not in \
             a worker: with processes, every item is done by a worker that `worker_command` \
             starts{}",
            run.trace.len(),
            picture(&run.trace, "crunches")
        );
    }
    assert_distinct_pids_at_least(&run.trace, run.ids.len(), "crunches (a process per item)");
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
    let numbers = draw_numbers(&mut Inputs::new(), 3);
    let (_bench, run) = cpu_run(Way::Processes, &numbers);
    run.results();
    assert_no_children();
}

// ---- async ----

#[test]
fn async_returns_every_result_in_order() {
    assert_right_results(Way::Async);
}

#[test]
fn async_fetches_the_posts_at_once() {
    assert_fetches_at_once(
        Way::Async,
        "Is each request awaited before the next one is sent? `.await` waits right there: \
         start every request as a task first (`tokio::spawn`), then await them.",
    );
}

#[test]
fn async_fetching_leaves_the_runtime_free() {
    let mut inputs = Inputs::new();
    let api = Api::start(&mut inputs);
    let posts = draw_posts(&mut inputs, POSTS);
    let run = io_run(Way::Async, &api, &posts);
    run.results();
    assert_responsive(
        run.probe.longest_gap,
        MAX_GAP,
        &format!("with_async ({} requests of {} each)", posts.len(), fmt_duration(LATENCY)),
    );
}

#[test]
fn async_fetches_without_a_thread_per_request() {
    let mut inputs = Inputs::new();
    let api = Api::start(&mut inputs);
    let posts = draw_posts(&mut inputs, POSTS);
    let run = io_run(Way::Async, &api, &posts);
    run.results();
    let threads = run.measurement.threads;
    if threads > MAX_ASYNC_IO_THREADS {
        panic!(
            "while with_async waited for {} requests, this process ran {threads} threads at \
             once, its runtime's one included. Async waits for the requests as tasks on the \
             runtime's thread, awaiting `fetch_author`; a thread per request (`spawn_blocking` \
             with `do_one`, or std threads) is the threads way again, and the statement keeps \
             threads for the crunches.",
            posts.len()
        );
    }
}

#[test]
fn async_runs_crunches_side_by_side() {
    let (_bench, run) = crunch_run(Way::Async, true);
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
    let (_bench, run) = crunch_run(Way::Async, false);
    let spans = run.trace.spans();
    let on_runtime = spans.iter().filter(|span| span.thread == run.probe.thread).count();
    if on_runtime > 0 {
        panic!(
            "{on_runtime} of the {} crunches ran on the runtime's own thread, the one that runs \
             every task. A crunch never awaits, so while it computes that thread runs nothing \
             else: no other task, no request, no timer makes progress. Hand CPU work to the \
             threads tokio keeps for blocking work: `tokio::task::spawn_blocking`.{}",
            spans.len(),
            picture(&run.trace, "crunches")
        );
    }
    let first = spans.iter().map(|s| s.start_us).min().unwrap_or_default();
    let last = spans.iter().map(|s| s.end_us).max().unwrap_or_default();
    let ticked = run.probe.ticks.iter().filter(|&&t| t > first && t < last).count();
    if ticked == 0 {
        panic!(
            "the crunches ran off the runtime's thread, but for the {} they took, from the \
             first one's start to the last one's end, the runtime ran no other task: the \
             check's own task on it, which wakes every {}, never ran. Something blocked the \
             runtime's thread while it waited for them (joining threads, a blocking \
             `recv`, `block_on`): await them instead, e.g. the JoinHandles of \
             `tokio::task::spawn_blocking`.{}",
            fmt_duration(Duration::from_micros(last.saturating_sub(first))),
            fmt_duration(PERIOD),
            picture(&run.trace, "crunches")
        );
    }
}
