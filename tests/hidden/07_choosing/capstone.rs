//! Hidden checks for `07_choosing/capstone`.
//!
//! The learner's pipeline fetches posts from the kit's mock API (stage 1, async), parses them
//! on parser threads fed by a bounded queue (stage 2; the given `parse_post` takes 100 ms in a
//! span labelled `parse(post N)`), and scores them in a worker process, the learner's own
//! program run as `program worker` (stage 3; the given `score` takes 20 ms in a span labelled
//! `score(post N)`, and aborts its process on post 13). Both kinds of span reach the check's
//! bench (the worker's through the bench's witness socket, with the pid the kernel reports), so
//! the check sees which thread or process did each step and when. The mock API's log gives the
//! requests. Each check runs the whole pipeline once, with its own configuration, so a
//! hard-coded number does not pass. `tests/variants/07_choosing/` holds a wrong pipeline for
//! each timing and cleanup check.

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::api::{ApiConfig, MockApi};
use concur_kit::check::{
    assert_all_once, assert_in_flight_at_least, assert_in_flight_at_most,
    assert_peak_overlap_at_least, panic_message,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::bench::Bench;
use concur_kit::trace::{Span, Trace};

use crate::exercise::{run_pipeline, Config, Scored};

/// 24 distinct posts in no particular order; none is the poisoned post 13.
const IDS: [u32; 24] =
    [17, 3, 250, 42, 8, 99, 1, 64, 5, 300, 12, 77, 2, 150, 31, 9, 480, 6, 55, 20, 11, 101, 7, 14];
/// Most checks: parsing (24 × 100 ms over 3 threads, about 0.8 s) is the slow stage.
const STANDARD: Config = Config { max_in_flight: 4, queue: 4, parsers: 3 };
const STANDARD_LATENCY: Duration = Duration::from_millis(20);
/// The post the given `score` aborts on.
const POISON: u32 = 13;
/// The slowest wrong variant (one parser thread) needs about 2.5 s; the solution about 1 s.
const DEADLINE: Duration = Duration::from_secs(7);

/// What one run of the pipeline left behind.
struct Run {
    scored: Vec<Scored>,
    api: MockApi,
    /// Every `parse(…)` and `score(…)` span, from this process and from the workers.
    trace: Trace,
}

impl Run {
    fn steps(&self, prefix: &str) -> Vec<Span> {
        self.trace.spans().into_iter().filter(|s| s.label.starts_with(prefix)).collect()
    }

    fn parses(&self) -> Trace {
        Trace::from_spans(self.steps("parse("))
    }

    fn scores(&self) -> Trace {
        Trace::from_spans(self.steps("score("))
    }
}

fn start_api(latency: Duration) -> MockApi {
    MockApi::start(ApiConfig { latency, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

/// Runs the learner's pipeline on `ids` against a fresh mock API answering after `latency`.
fn run(ids: &[u32], config: Config, latency: Duration) -> Run {
    let api = start_api(latency);
    run_against(api, ids, config)
}

fn run_against(api: MockApi, ids: &[u32], config: Config) -> Run {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let (url, owned_ids) = (api.url(), ids.to_vec());
    let scored = within_deadline(move || run_pipeline(&program, &url, &owned_ids, config))
        .unwrap_or_else(|error| panic!("run_pipeline returned an error: {error}"));
    let trace = bench.trace();
    Run { scored, api, trace }
}

/// Runs `f` on its own thread, so a pipeline that never returns fails with a message instead
/// of being killed by the time limit; a panic in `f` is reported with its own message. The
/// thread is joined before this returns.
fn within_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        // If the receiver is gone the check has already failed; nothing left to tell.
        let _ = done_tx.send(f());
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok(value) => {
            runner.join().expect("the runner thread only sends");
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("run_pipeline panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "run_pipeline did not return within {DEADLINE:?}, although the whole pipeline \
             needs about a second. Is a stage waiting for input that never ends? The parsers \
             stop when every Sender of their queue has been dropped (the original one too), \
             the scorer stops when the parsers have dropped theirs, and the worker process \
             stops when its stdin is closed: drop it before you wait() for the worker."
        ),
    }
}

/// The score the given `score` computes for post `id` as the mock API serves it: the sum of
/// the bytes of its title and body.
fn expected_score(id: u32) -> u64 {
    let text = format!("Post {id}This is the body of post {id}.");
    text.bytes().map(u64::from).sum()
}

fn ids_of(scored: &[Scored]) -> Vec<u32> {
    scored.iter().map(|s| s.id).collect()
}

/// Ids of the threads of this process, from /proc (Linux); `None` elsewhere.
fn threads() -> Option<BTreeSet<u64>> {
    let entries = std::fs::read_dir("/proc/self/task").ok()?;
    Some(
        entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
            .collect(),
    )
}

/// This thread's id in /proc/self/task.
fn own_tid() -> u64 {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|path| path.file_name()?.to_str()?.parse().ok())
        .unwrap_or(0)
}

fn thread_name(tid: u64) -> String {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/comm"))
        .map(|name| name.trim().to_string())
        .unwrap_or_else(|_| "?".to_string())
}

#[test]
fn every_post_is_fetched_once_and_scored_in_order() {
    let run = run(&IDS, STANDARD, STANDARD_LATENCY);
    let requested: Vec<String> = run.api.log().into_iter().map(|r| r.path).collect();
    let wanted: Vec<String> = IDS.iter().map(|id| format!("/posts/{id}")).collect();
    assert_all_once(&requested, &wanted, "requests the mock API received");
    assert_eq!(
        ids_of(&run.scored),
        IDS,
        "run_pipeline must return one Scored per id, in the order of the ids, although the \
         stages finish them in another order (left: the ids that came back, right: the ids \
         asked for)"
    );
    for scored in &run.scored {
        let expected = expected_score(scored.id);
        if scored.score != Ok(expected) {
            panic!(
                "post {} came back with score {:?}; expected Ok({expected}), what the given \
                 `score` computes for it",
                scored.id, scored.score
            );
        }
    }
}

#[test]
fn several_requests_are_in_flight_at_once() {
    let ids: Vec<u32> = (101..=116).collect();
    let run = run(&ids, STANDARD, Duration::from_millis(100));
    assert_in_flight_at_least(&run.api, 3, "requests (limit 4)");
}

#[test]
fn never_more_requests_in_flight_than_the_limit() {
    let ids: Vec<u32> = (101..=116).collect();
    let run = run(&ids, STANDARD, Duration::from_millis(100));
    assert_in_flight_at_most(&run.api, STANDARD.max_in_flight, "requests");
}

#[test]
fn parsing_runs_on_all_parser_threads_at_once() {
    let run = run(&IDS, STANDARD, STANDARD_LATENCY);
    assert_peak_overlap_at_least(
        &run.parses(),
        STANDARD.parsers,
        "parse_post calls (3 parser threads)",
    );
}

#[test]
fn never_more_parses_at_once_than_parser_threads() {
    let run = run(&IDS, STANDARD, STANDARD_LATENCY);
    let parses = run.parses();
    let peak = parses.peak_overlap();
    if peak > STANDARD.parsers {
        let pic = picture(&parses, "parse_post calls");
        panic!(
            "{peak} of the {} parse_post calls ran at the same time, but config.parsers is \
             {parsers}: stage 2 is a pool of {parsers} threads, each taking the next page from \
             the queue once it has parsed the last one. A new thread for every page limits \
             nothing.{pic}",
            parses.len(),
            parsers = STANDARD.parsers,
        );
    }
}

#[test]
fn fetching_waits_while_the_queue_is_full() {
    // Fetching (10 ms, 2 at a time) is far faster than parsing (100 ms, 2 at a time): without
    // backpressure the fetcher races through all 24 posts in a fraction of a second.
    let config = Config { max_in_flight: 2, queue: 2, parsers: 2 };
    let run = run(&IDS, config, Duration::from_millis(10));
    let request_starts: Vec<u64> = run.api.log().iter().map(|r| r.start_us).collect();
    let parse_starts: Vec<u64> = run.steps("parse(").iter().map(|s| s.start_us).collect();
    // Pages whose request has started but whose parsing has not: each is in a request or
    // held by a fetching task (at most max_in_flight), in the queue (at most `queue`), or
    // just taken by a parser (at most `parsers`). One more for a fetcher built differently.
    let allowed = config.max_in_flight + config.queue + config.parsers + 1;
    let (worst, most_ahead) = request_starts
        .iter()
        .enumerate()
        .map(|(i, &at)| {
            (i + 1, (i + 1).saturating_sub(parse_starts.iter().filter(|&&p| p <= at).count()))
        })
        .max_by_key(|&(_, ahead)| ahead)
        .unwrap_or((0, 0));
    if most_ahead > allowed {
        let mut both = run.api.trace().spans();
        both.extend(run.steps("parse("));
        let pic = picture(&Trace::from_spans(both), "requests and parse_post calls");
        panic!(
            "when request {worst} of {n} was sent, {most_ahead} posts had been requested that \
             no parser had started on yet. With {max} requests in flight, a queue of {queue} and \
             {parsers} parsers there can be at most {allowed}: the fetcher ran ahead and the \
             pages piled up. Is the queue bounded, and does each fetching task put its page in \
             the queue *before* it gives back its permit, so that a full queue holds up the \
             next requests?{pic}",
            n = request_starts.len(),
            max = config.max_in_flight,
            queue = config.queue,
            parsers = config.parsers,
        );
    }
}

#[test]
fn scoring_starts_while_posts_are_still_parsed() {
    let run = run(&IDS, STANDARD, STANDARD_LATENCY);
    let first_score = run.steps("score(").iter().map(|s| s.start_us).min();
    let last_parse = run.steps("parse(").iter().map(|s| s.end_us).max();
    let (Some(first_score), Some(last_parse)) = (first_score, last_parse) else {
        panic!(
            "no parse_post or score calls were recorded at all ({} spans) — did your pipeline \
             call the given parse_post, and the worker the given score?",
            run.trace.len()
        );
    };
    if first_score >= last_parse {
        let pic = picture(&run.trace, "parse_post and score calls");
        panic!(
            "the first post was scored only after the last one was parsed: stage 3 waited for \
             stage 2 to finish. In a pipeline each post moves on as soon as it is parsed, so \
             the worker scores the first posts while the parsers still work on the \
             others.{pic}"
        );
    }
}

#[test]
fn scoring_runs_in_one_separate_worker_process() {
    let run = run(&IDS, STANDARD, STANDARD_LATENCY);
    let scores = run.scores();
    if scores.is_empty() {
        panic!(
            "no score calls were recorded at all — does the worker (your program run as \
             `program worker`) get the posts, and call the given score on each?"
        );
    }
    let own = std::process::id();
    let in_pipeline = scores.spans().iter().filter(|s| s.pid == own).count();
    if in_pipeline > 0 {
        let pic = picture(&scores, "score calls");
        panic!(
            "{in_pipeline} of the {} score calls ran in the pipeline's own process (pid \
             {own}). score is untrusted: run it in a worker process, your own program started \
             as `program worker`, and send it the posts over its stdin.{pic}",
            scores.len()
        );
    }
    let pids = scores.distinct_pids();
    if pids != 1 {
        let pic = picture(&scores, "score calls");
        panic!(
            "the {} score calls ran in {pids} different processes; none of them crashed, so \
             one worker process should have scored them all. Start the worker once and send \
             it every post; start a new one only when it dies.{pic}",
            scores.len()
        );
    }
}

#[test]
fn a_crashing_post_is_reported_and_the_rest_still_scored() {
    let ids = [4, 9, 16, 25, POISON, 36, 49, 64, 81, 100];
    let run = run(&ids, STANDARD, STANDARD_LATENCY);
    assert_eq!(
        ids_of(&run.scored),
        ids,
        "run_pipeline must return one Scored per id, in the order of the ids, the crashed \
         one too (left: the ids that came back, right: the ids asked for)"
    );
    for scored in &run.scored {
        if scored.id == POISON {
            if let Ok(score) = scored.score {
                panic!(
                    "post {POISON} came back with Ok({score}), but the worker aborted on it and \
                     never answered: report it as an Err saying what happened"
                );
            }
        } else if scored.score != Ok(expected_score(scored.id)) {
            panic!(
                "post {} came back with {:?}; expected Ok({}). Only post {POISON} crashes the \
                 worker: start a new worker after the crash and carry on with the rest.",
                scored.id,
                scored.score,
                expected_score(scored.id)
            );
        }
    }
    // The worker that crashed is a child like any other.
    assert_no_children();
}

#[test]
fn every_worker_process_is_waited_for() {
    let _run = run(&IDS, STANDARD, STANDARD_LATENCY);
    assert_no_children();
}

#[test]
fn no_thread_is_left_running() {
    let api = start_api(STANDARD_LATENCY);
    let Some(before) = threads() else {
        // Not Linux: there is no /proc to count threads in; the other checks still stand.
        return;
    };
    let _run = run_against(api, &IDS, STANDARD);
    // A thread that is just finishing gets a moment; one that waits or loops for ever does not.
    let grace = Duration::from_secs(1);
    let started = Instant::now();
    let left = loop {
        let now = threads().unwrap_or_default();
        let left: Vec<u64> = now.difference(&before).copied().collect();
        if left.is_empty() || started.elapsed() > grace {
            break left;
        }
        thread::sleep(Duration::from_millis(20));
    };
    if !left.is_empty() {
        // An unnamed thread shows the name of the thread that started it, which says nothing.
        let ours = thread_name(own_tid());
        let names: BTreeSet<String> =
            left.iter().map(|&tid| thread_name(tid)).filter(|name| *name != ours).collect();
        let named = if names.is_empty() { String::new() } else { format!(" (named {names:?})") };
        panic!(
            "{} thread(s) started by run_pipeline were still running {grace:?} after it \
             returned{named}. A pipeline that shuts down cleanly leaves nothing \
             behind: every thread ends and is joined (std::thread::scope joins them for you), \
             and the tokio runtime is dropped. A parser ends when its queue is empty and \
             closed; one that polls the queue without noticing it closed runs for ever.",
            left.len()
        );
    }
}
