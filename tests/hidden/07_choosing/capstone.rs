//! Hidden checks for `07_choosing/capstone`.
//!
//! The learner's pipeline fetches posts from the kit's mock API (stage 1, async), parses them
//! on parser threads fed by a bounded queue (stage 2; the given `parse_post` takes 100 ms in a
//! span labelled `parse(post N)`), and scores them in a worker process, the learner's own
//! program run as `program worker` (stage 3; the given `score` takes 20 ms in a span labelled
//! `score(post N)`, and on post 13 it then aborts its process). Both kinds of span reach the
//! check's bench (the worker's through the bench's witness socket, with the pid the kernel
//! reports), so the check sees which thread or process did each step and when; the mock API's
//! log gives the requests.
//!
//! Every run draws (`seed::Inputs`, replayable with `concur verify capstone --seed N`) the
//! posts (14–18 distinct ids, never 13 unless the run is about the crash), the configuration,
//! the API's latency and its salt: every title and body carries a token of the run, so the
//! scores exist only once the pages were fetched. Every call goes through the kit's `call`;
//! every request and every parse and score span must lie inside it, each post must be
//! requested, parsed and scored exactly once, and the given steps must take their given time.
//! Timing checks pair their trace fact with a wall bound three quarters of the way from the
//! ideal (the parse rounds on `config.parsers` threads, or the request rounds if slower) to
//! parsing one post after another. The crash runs put post 13 in third place up to a quarter
//! of the way into the posts, so the worker has scored posts before it and ten or more are
//! left after it: the check then sees `score(post 13)` in a worker, that worker score nothing
//! more, every other post scored, and those scored after the crash all in one fresh worker.
//!
//! Which wrong variant (`tests/variants/07_choosing/capstone_*.rs`) bites which check:
//! - `several_requests_are_in_flight_at_once`: `_sequential_fetch`;
//! - `never_more_requests_in_flight_than_the_limit`: `_no_limit`;
//! - `fetching_waits_while_the_queue_is_full`: `_no_limit`, `_unbounded_queue`,
//!   `_permit_released_first`;
//! - `parsing_runs_on_all_parser_threads_at_once`: `_one_parser`, which every wall bound
//!   (`several_requests_…`, `fetching_waits_…`, `scoring_starts_…`) bites too;
//! - `never_more_parses_at_once_than_parser_threads`: `_thread_per_page`;
//! - `scoring_starts_while_posts_are_still_parsed`: `_score_at_the_end`;
//! - `scoring_runs_in_one_separate_worker_process`: `_in_process`, `_worker_per_post`;
//! - `a_crashing_post_is_reported_and_the_rest_still_scored`: `_in_process` (the abort takes
//!   the pipeline down), `_not_replaced` (every post after the crash is given up);
//! - `the_poison_post_kills_its_worker_and_a_fresh_one_goes_on`: `_never_sends_poison`
//!   (post 13 reported failed without being sent), `_worker_per_post`, `_not_replaced`,
//!   `_in_process`;
//! - `every_worker_process_is_waited_for`: `_no_wait`, `_in_process`;
//! - `no_thread_is_left_running`: `_parsers_left_running`.

use std::collections::BTreeSet;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::api::{content, ApiConfig, MockApi, USERS};
use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_in_flight_at_least, assert_in_flight_at_most,
    assert_inside, assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::{Span, Trace};

use crate::exercise::{run_pipeline, Config, Scored};

/// The post the given `score` aborts on.
const POISON: u32 = 13;
/// What the given `parse_post` and `score` take (the exercise's `PARSE_TIME`, `SCORE_TIME`).
const PARSE: Duration = Duration::from_millis(100);
const SCORE: Duration = Duration::from_millis(20);
/// Starting a worker process and its first answer, generously (a busy machine included).
const STARTUP: Duration = Duration::from_millis(150);
/// The slowest wrong variant (one parser thread) needs about 2 s; the solution about 1 s.
const DEADLINE: Duration = Duration::from_secs(7);

/// What one run is given.
struct Plan {
    ids: Vec<u32>,
    config: Config,
    latency: Duration,
    salt: u64,
}

/// What one run of the pipeline was given and left behind.
struct Run {
    plan: Plan,
    called: Called<Vec<Scored>>,
    api: MockApi,
    /// Every `parse(…)` and `score(…)` span, from this process and from the workers.
    trace: Trace,
}

impl Plan {
    /// `count` distinct posts in 1..=500 without 13, a configuration and a latency drawn
    /// from the given ranges.
    fn draw(
        inputs: &mut Inputs,
        count: usize,
        config: impl FnOnce(&mut Inputs) -> Config,
        latency_ms: (u64, u64),
    ) -> Plan {
        let ids = inputs
            .distinct(count, 1, 499)
            .into_iter()
            .map(|id| if id >= u64::from(POISON) { id as u32 + 1 } else { id as u32 })
            .collect();
        let config = config(inputs);
        let latency = Duration::from_millis(inputs.between(latency_ms.0, latency_ms.1));
        Plan { ids, config, latency, salt: inputs.salt(1) | 1 }
    }

    /// 14–18 posts, 3–5 requests in flight, a queue of 2–4, 3–4 parsers, 15–30 ms a
    /// request.
    fn typical(inputs: &mut Inputs) -> Plan {
        let count = inputs.between(14, 18) as usize;
        Plan::draw(
            inputs,
            count,
            |inputs| Config {
                max_in_flight: inputs.between(3, 5) as usize,
                queue: inputs.between(2, 4) as usize,
                parsers: inputs.between(3, 4) as usize,
            },
            (15, 30),
        )
    }

    /// A typical plan with post 13 in third place up to a quarter of the way in: the worker
    /// has posts to score before it, and ten or more are left after it, whatever order the
    /// stages finish them in.
    fn with_poison(inputs: &mut Inputs) -> Plan {
        let mut plan = Plan::typical(inputs);
        let n = plan.ids.len() as u64;
        let at = inputs.between(2, n / 4) as usize;
        plan.ids[at] = POISON;
        plan
    }

    /// The score the given `score` computes for post `id` as this run's API serves it: the sum
    /// of the bytes of its title and body.
    fn expected_score(&self, id: u32) -> u64 {
        let texts = content(self.salt, USERS);
        texts.post_title(id).bytes().chain(texts.post_body(id).bytes()).map(u64::from).sum()
    }

    /// The slower of the parse rounds on `config.parsers` threads and the request rounds of
    /// `config.max_in_flight`, one request before and one score after, a worker's start-up.
    fn ideal(&self) -> Duration {
        let n = self.ids.len();
        let parsing = PARSE * n.div_ceil(self.config.parsers.max(1)) as u32;
        let fetching = self.latency * n.div_ceil(self.config.max_in_flight.max(1)) as u32;
        parsing.max(fetching) + self.latency + SCORE + STARTUP
    }

    /// Fetching, parsing and scoring one post after another.
    fn sequential(&self) -> Duration {
        (self.latency + PARSE + SCORE) * self.ids.len() as u32
    }

    /// Three quarters of the way from the ideal to parsing one post after another (the
    /// slowest stage done without its pool), so one parser thread, or a whole stage done
    /// one post at a time, does not fit.
    fn wall_bound(&self) -> Duration {
        let ideal = self.ideal();
        let one_parser = PARSE * self.ids.len() as u32;
        ideal + one_parser.saturating_sub(ideal) * 3 / 4
    }

    fn what(&self) -> String {
        let Config { max_in_flight, queue, parsers } = self.config;
        format!(
            "run_pipeline of {} posts (requests of {} ms, at most {max_in_flight} in flight, a \
             queue of {queue}, {parsers} parsers)",
            self.ids.len(),
            self.latency.as_millis()
        )
    }
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

    fn what(&self) -> String {
        self.plan.what()
    }

    fn labels(&self, step: &str) -> Vec<String> {
        self.plan.ids.iter().map(|id| format!("{step}(post {id})")).collect()
    }
}

/// Runs the learner's pipeline on `plan` against a fresh mock API.
fn run(plan: Plan) -> Run {
    let api = start_api(&plan);
    run_against(api, plan)
}

fn start_api(plan: &Plan) -> MockApi {
    MockApi::start(ApiConfig { latency: plan.latency, salt: plan.salt, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

fn run_against(api: MockApi, plan: Plan) -> Run {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let program = exercise_program();
    let (url, ids, config) = (api.url(), plan.ids.clone(), plan.config);
    let called = call(&plan.what(), DEADLINE, move || run_pipeline(&program, &url, &ids, config));
    let trace = bench.trace();
    let Called { value, start_us, end_us } = called;
    let scored = value.unwrap_or_else(|error| panic!("run_pipeline returned an error: {error}"));
    Run { plan, called: Called { value: scored, start_us, end_us }, api, trace }
}

/// Every request, parse and score lay inside the call, and each post was requested, parsed and
/// scored exactly once, by the given functions taking their given time.
#[track_caller]
fn assert_work_of_the_call(run: &Run) {
    let requested: Vec<String> = run.api.log().into_iter().map(|r| r.path).collect();
    let wanted: Vec<String> = run.plan.ids.iter().map(|id| format!("/posts/{id}")).collect();
    let what = format!("requests the mock API received ({})", run.what());
    assert_all_once(&requested, &wanted, &what);
    assert_inside(&run.api.trace(), &run.called, "requests", "run_pipeline");
    assert_inside(&run.trace, &run.called, "parse_post and score calls", "run_pipeline");
    assert_each_once(&run.parses(), &run.labels("parse"), "parse_post calls (one per post)");
    // Whether post 13 reached a worker is the_poison_post_kills_its_worker_…'s to say.
    let poison = format!("score(post {POISON})");
    let scores: Vec<Span> =
        run.scores().spans().into_iter().filter(|s| s.label != poison).collect();
    let mut labels = run.labels("score");
    labels.retain(|label| *label != poison);
    assert_each_once(&Trace::from_spans(scores), &labels, "score calls (one per post)");
    let steps = [("parse_post", PARSE, run.parses()), ("score", SCORE, run.scores())];
    for (step, given, trace) in steps {
        let too_short = |s: &&Span| s.duration() + Duration::from_millis(1) < given;
        if let Some(short) = trace.spans().iter().find(too_short) {
            panic!(
                "{} took {}, but the given {step} takes {}: leave the given functions as they \
                 are, the checks count on their cost",
                short.label,
                fmt_duration(short.duration()),
                fmt_duration(given)
            );
        }
    }
}

/// The call took less than [`Plan::wall_bound`].
#[track_caller]
fn assert_faster_than_one_after_another(run: &Run) {
    let (bound, sequential) = (run.plan.wall_bound(), run.plan.sequential());
    assert_wall_below(run.called.elapsed(), bound, sequential, &run.what());
}

/// No score ran in the pipeline's own process.
#[track_caller]
fn assert_scored_in_workers(run: &Run) {
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
        panic!(
            "{in_pipeline} of the {} score calls ran in the pipeline's own process (pid \
             {own}). score is untrusted: run it in a worker process, your own program started \
             as `program worker`, and send it the posts over its stdin.{}",
            scores.len(),
            picture(&scores, "score calls")
        );
    }
}

/// Each post's result, in the order of the ids: Ok with its score, or (post 13) an Err.
#[track_caller]
fn assert_results(run: &Run) {
    let returned: Vec<u32> = run.called.value.iter().map(|s| s.id).collect();
    assert_eq!(
        returned, run.plan.ids,
        "run_pipeline must return one Scored per id, in the order of the ids, the crashed one \
         too, although the stages finish them in another order (left: the ids that came back, \
         right: the ids asked for)"
    );
    for scored in &run.called.value {
        if scored.id == POISON {
            if let Ok(score) = scored.score {
                panic!(
                    "post {POISON} came back with Ok({score}), but the worker aborted on it and \
                     never answered: report it as an Err saying what happened"
                );
            }
            continue;
        }
        let expected = run.plan.expected_score(scored.id);
        if scored.score != Ok(expected) {
            let hint = if run.plan.ids.contains(&POISON) {
                format!(
                    " Only post {POISON} crashes the worker: start a new worker after the crash \
                     and carry on with the rest."
                )
            } else {
                String::new()
            };
            panic!(
                "post {} came back with {:?}; expected Ok({expected}), what the given `score` \
                 computes for the post this run's API served.{hint}",
                scored.id, scored.score
            );
        }
    }
}

#[test]
fn every_post_is_fetched_once_and_scored_in_order() {
    let run = run(Plan::typical(&mut Inputs::new()));
    assert_results(&run);
    assert_work_of_the_call(&run);
}

#[test]
fn several_requests_are_in_flight_at_once() {
    let mut inputs = Inputs::new();
    // Requests as slow as a parse: the fetcher must keep several going to keep up.
    let mut plan = Plan::typical(&mut inputs);
    plan.latency = Duration::from_millis(inputs.between(90, 120));
    let run = run(plan);
    assert_work_of_the_call(&run);
    let limit = run.plan.config.max_in_flight;
    assert_in_flight_at_least(&run.api, limit, &format!("requests (limit {limit})"));
    assert_faster_than_one_after_another(&run);
}

#[test]
fn never_more_requests_in_flight_than_the_limit() {
    let mut inputs = Inputs::new();
    let mut plan = Plan::typical(&mut inputs);
    plan.latency = Duration::from_millis(inputs.between(90, 120));
    let run = run(plan);
    assert_work_of_the_call(&run);
    assert_in_flight_at_most(&run.api, run.plan.config.max_in_flight, "requests");
}

#[test]
fn parsing_runs_on_all_parser_threads_at_once() {
    let run = run(Plan::typical(&mut Inputs::new()));
    assert_work_of_the_call(&run);
    let parsers = run.plan.config.parsers;
    assert_peak_overlap_at_least(
        &run.parses(),
        parsers,
        &format!("parse_post calls ({parsers} parser threads)"),
    );
    assert_faster_than_one_after_another(&run);
}

#[test]
fn never_more_parses_at_once_than_parser_threads() {
    let run = run(Plan::typical(&mut Inputs::new()));
    assert_work_of_the_call(&run);
    let parses = run.parses();
    let parsers = run.plan.config.parsers;
    let peak = parses.peak_overlap();
    if peak > parsers {
        panic!(
            "{peak} of the {} parse_post calls ran at the same time, but config.parsers is \
             {parsers}: stage 2 is a pool of {parsers} threads, each taking the next page from \
             the queue once it has parsed the last one. A new thread for every page limits \
             nothing.{}",
            parses.len(),
            picture(&parses, "parse_post calls"),
        );
    }
    let threads = parses.distinct_threads();
    if threads > parsers {
        panic!(
            "the {} parse_post calls ran on {threads} different threads, but config.parsers is \
             {parsers}: stage 2 is a pool of {parsers} threads that each parse page after page, \
             not a new thread for each page.{}",
            parses.len(),
            picture(&parses, "parse_post calls"),
        );
    }
}

#[test]
fn fetching_waits_while_the_queue_is_full() {
    // Fetching (10–15 ms, 2 at a time) is far faster than parsing (100 ms, 2 at a time):
    // without backpressure the fetcher races through every post in a fraction of a second.
    let mut inputs = Inputs::new();
    let count = inputs.between(18, 22) as usize;
    let plan = Plan::draw(
        &mut inputs,
        count,
        |inputs| Config { max_in_flight: 2, queue: inputs.between(2, 3) as usize, parsers: 2 },
        (10, 15),
    );
    let run = run(plan);
    assert_work_of_the_call(&run);
    let config = run.plan.config;
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
    assert_faster_than_one_after_another(&run);
}

#[test]
fn scoring_starts_while_posts_are_still_parsed() {
    let run = run(Plan::typical(&mut Inputs::new()));
    assert_work_of_the_call(&run);
    let first_score = run.steps("score(").iter().map(|s| s.start_us).min();
    let last_parse = run.steps("parse(").iter().map(|s| s.end_us).max();
    let (Some(first_score), Some(last_parse)) = (first_score, last_parse) else {
        unreachable!("every post was parsed and scored once (checked above)");
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
    assert_faster_than_one_after_another(&run);
}

#[test]
fn scoring_runs_in_one_separate_worker_process() {
    let run = run(Plan::typical(&mut Inputs::new()));
    assert_scored_in_workers(&run);
    assert_work_of_the_call(&run);
    let scores = run.scores();
    let pids = scores.distinct_pids();
    if pids != 1 {
        panic!(
            "the {} score calls ran in {pids} different processes; no post here crashes the \
             worker (post {POISON} is not among them), so one worker process should have \
             scored them all. Start the worker once and send it every post; start a new one \
             only when it dies.{}",
            scores.len(),
            picture(&scores, "score calls")
        );
    }
}

#[test]
fn a_crashing_post_is_reported_and_the_rest_still_scored() {
    let run = run(Plan::with_poison(&mut Inputs::new()));
    assert_results(&run);
    assert_work_of_the_call(&run);
}

#[test]
fn the_poison_post_kills_its_worker_and_a_fresh_one_goes_on() {
    let run = run(Plan::with_poison(&mut Inputs::new()));
    assert_scored_in_workers(&run);
    let scores = run.scores();
    let spans = scores.spans();
    let label = format!("score(post {POISON})");
    let Some(poison) = spans.iter().find(|s| s.label == label) else {
        panic!(
            "post {POISON} was never scored: no worker process called score on it ({} score \
             calls were seen, none for post {POISON}). Post {POISON} must go to the worker like \
             every other post; handling the worker's crash is the task, and a post reported \
             failed without being sent proves nothing.{}",
            spans.len(),
            picture(&scores, "score calls")
        );
    };
    let times = spans.iter().filter(|s| s.label == label).count();
    if times > 1 {
        panic!(
            "post {POISON} was scored {times} times: it kills the worker it is sent to, so \
             sending it again to the new worker only kills that one too. Report it as an Err \
             and go on with the next post.{}",
            picture(&scores, "score calls")
        );
    }
    let died = poison.pid;
    let after: Vec<&Span> = spans.iter().filter(|s| s.start_us >= poison.end_us).collect();
    let went_on = after.iter().filter(|s| s.pid == died).count();
    if went_on > 0 {
        panic!(
            "the worker that scored post {POISON} (pid {died}) went on to score {went_on} more \
             posts, although the given score aborts its process right after post {POISON}: leave \
             score as it is.{}",
            picture(&scores, "score calls")
        );
    }
    let fresh: BTreeSet<u32> = after.iter().map(|s| s.pid).collect();
    let unscored: Vec<u32> = run
        .plan
        .ids
        .iter()
        .copied()
        .filter(|&id| !spans.iter().any(|s| s.label == format!("score(post {id})")))
        .collect();
    if !unscored.is_empty() {
        let then = match after.len() {
            0 => "no post was scored after that".to_string(),
            n => format!("{n} posts were scored after that, by pid(s) {fresh:?}"),
        };
        panic!(
            "posts {unscored:?} were never scored at all. Post {POISON} killed its worker (pid \
             {died}) and {then}: start a new worker when one dies, and send it every post that \
             is left.{}",
            picture(&scores, "score calls")
        );
    }
    let pids = scores.distinct_pids();
    if fresh.len() > 1 || pids != 1 + fresh.len() {
        panic!(
            "the {} score calls ran in {pids} processes, {} of them after post {POISON} killed \
             its worker (pid {died}). One crash needs one new worker: a single worker scores \
             every post until it dies, then a single fresh one scores the rest.{}",
            spans.len(),
            fresh.len(),
            picture(&scores, "score calls")
        );
    }
    assert_work_of_the_call(&run);
}

#[test]
fn every_worker_process_is_waited_for() {
    // The worker that crashed on post 13 is a child like any other.
    let _run = run(Plan::with_poison(&mut Inputs::new()));
    assert_no_children();
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
fn no_thread_is_left_running() {
    let plan = Plan::typical(&mut Inputs::new());
    let api = start_api(&plan);
    let Some(before) = threads() else {
        // Not Linux: there is no /proc to count threads in; the other checks still stand.
        return;
    };
    let _run = run_against(api, plan);
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
