//! Hidden checks for `05_async/limited_fetch`.
//!
//! The learner's `fetch_limited` gets a `fetch` made by the check: the paths, the limit, the
//! latencies and the answers are drawn per run (`Inputs`), and each answer carries a token
//! only this run knows (`Inputs::salt`). Every request is a span on a row of its own while its
//! future is polled; every check asserts that each path was fetched exactly once
//! (`assert_each_once`) and that every request lay inside the call (`assert_inside`), then
//! judges the trace:
//!
//! - `every_path_is_fetched_once`: the responses are the answers of `fetch`, each once.
//!   Bitten by `predicted` (responses made up from the paths).
//! - `never_more_than_limit_requests_at_once`: peak overlap at most the limit. Bitten by
//!   `unbounded`, `one_too_many` and `permit_dropped` (`let _ = semaphore.acquire()` drops
//!   the permit at once).
//! - `limit_requests_wait_at_the_same_time`: peak overlap at least the limit, and the whole
//!   well under the sequential cost. Bitten by `sequential` and `one_too_few`.
//! - `a_free_slot_is_filled_at_once`: one slow request in the first `limit` holds a slot;
//!   the short ones must all pass through the other slots before it ends, and the whole must
//!   take little more than the slow one. Bitten by `batches` and `sequential`.
//! - `fewer_paths_than_the_limit`: fewer paths than the limit are all fetched at once.
//!   Bitten by `unwrap_fill` (fills `limit` slots with `next().unwrap()`) and `sequential`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use concur_kit::call::{call_async, Called};
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_inside, assert_peak_overlap_at_least,
    assert_peak_overlap_at_most, assert_wall_below,
};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::Trace;

use crate::exercise::fetch_limited;

/// A `fetch_limited` that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

type Fetch = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync>;

/// One request of a run: its path, how long it takes, and the answer only this run knows.
#[derive(Clone)]
struct Request {
    path: String,
    latency: Duration,
    answer: String,
}

/// `n` requests for distinct random pages; request `i` takes `latency(inputs, i)` ms.
fn plan(inputs: &mut Inputs, n: usize, mut latency: impl FnMut(&mut Inputs, usize) -> u64) -> Vec<Request> {
    let ids = inputs.distinct(n, 1, 9999);
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            let path = format!("/pages/{id}");
            let answer = format!("200 {path} etag {:016x}", inputs.salt(id));
            Request { path, latency: Duration::from_millis(latency(inputs, i)), answer }
        })
        .collect()
}

/// The `fetch` handed to the learner: each request waits its latency inside a span on its
/// own row, then answers. A path not in the plan is answered at once, and still recorded.
fn traced_fetch(trace: &Trace, plan: &[Request]) -> Fetch {
    let trace = trace.clone();
    let plan: Arc<HashMap<String, Request>> =
        Arc::new(plan.iter().map(|r| (r.path.clone(), r.clone())).collect());
    Box::new(move |path: String| {
        let trace = trace.clone();
        let request = plan.get(&path).cloned();
        Box::pin(async move {
            let _row = Row::open(&trace, &path);
            match request {
                Some(request) => {
                    tokio::time::sleep(request.latency).await;
                    request.answer
                }
                None => format!("404 {path}"),
            }
        })
    })
}

fn paths(plan: &[Request]) -> Vec<String> {
    plan.iter().map(|r| r.path.clone()).collect()
}

/// Runs `fetch_limited` on `plan` and checks what every check checks: each path fetched
/// once, every request inside the call.
async fn run(plan: &[Request], limit: usize) -> (Called<Vec<String>>, Trace) {
    let trace = Trace::new();
    let called = call_async(
        &format!("fetch_limited({} paths, limit {limit})", plan.len()),
        DEADLINE,
        fetch_limited(paths(plan), limit, traced_fetch(&trace, plan)),
    )
    .await;
    assert_each_once(&trace, &paths(plan), "requests");
    assert_inside(&trace, &called, "requests", "fetch_limited");
    (called, trace)
}

/// Halfway between the ideal time and one after another.
fn halfway(ideal: Duration, sequential: Duration) -> Duration {
    ideal + sequential.saturating_sub(ideal) / 2
}

#[test]
async fn every_path_is_fetched_once() {
    let mut inputs = Inputs::new();
    let limit = inputs.between(2, 4) as usize;
    let n = inputs.between(8, 12) as usize;
    let plan = plan(&mut inputs, n, |inputs, _| inputs.between(20, 60));
    let (called, _) = run(&plan, limit).await;
    let expected: Vec<String> = plan.iter().map(|r| r.answer.clone()).collect();
    assert_all_once(
        &called.value,
        &expected,
        &format!(
            "the responses of fetch_limited ({n} paths, limit {limit}; each must be what fetch \
             answered)"
        ),
    );
}

#[test]
async fn never_more_than_limit_requests_at_once() {
    let mut inputs = Inputs::new();
    let limit = inputs.between(2, 4) as usize;
    let n = 3 * limit + inputs.between(1, 3) as usize;
    let plan = plan(&mut inputs, n, |inputs, _| inputs.between(60, 100));
    let (_, trace) = run(&plan, limit).await;
    assert_peak_overlap_at_most(&trace, limit, &format!("requests (limit {limit})"));
}

#[test]
async fn limit_requests_wait_at_the_same_time() {
    let mut inputs = Inputs::new();
    let limit = inputs.between(3, 5) as usize;
    let n = 2 * limit + inputs.between(1, limit as u64) as usize;
    let base = inputs.between(80, 120);
    let plan = plan(&mut inputs, n, |inputs, _| base + inputs.between(0, 20));
    let sequential: Duration = plan.iter().map(|r| r.latency).sum();
    let longest = plan.iter().map(|r| r.latency).max().unwrap_or_default();
    let ideal = longest * n.div_ceil(limit) as u32;
    let (called, trace) = run(&plan, limit).await;
    assert_peak_overlap_at_least(&trace, limit, &format!("requests (limit {limit})"));
    assert_wall_below(
        called.elapsed(),
        halfway(ideal, sequential),
        sequential,
        &format!("fetch_limited of {n} requests, {limit} at a time,"),
    );
}

#[test]
async fn a_free_slot_is_filled_at_once() {
    // One slow request among the first `limit` holds a slot; the short ones fit through the
    // other slots in well under its time, long before it ends.
    let mut inputs = Inputs::new();
    let limit = inputs.between(3, 4) as usize;
    let shorts = 3 * (limit - 1);
    let slow_at = inputs.between(0, limit as u64 - 1) as usize;
    let slow = inputs.between(600, 700);
    let plan = plan(&mut inputs, shorts + 1, |inputs, i| {
        if i == slow_at {
            slow
        } else {
            inputs.between(50, 70)
        }
    });
    let slow_path = plan[slow_at].path.clone();
    let slow = Duration::from_millis(slow);
    let longest_short = plan.iter().filter(|r| r.path != slow_path).map(|r| r.latency).max();
    let longest_short = longest_short.unwrap_or_default();
    let (called, trace) = run(&plan, limit).await;
    let spans = trace.spans();
    let slow_end = spans.iter().find(|s| s.label == slow_path).map(|s| s.end_us).unwrap_or(0);
    let late: Vec<&str> = spans
        .iter()
        .filter(|s| s.label != slow_path && s.end_us > slow_end)
        .map(|s| s.label.as_str())
        .collect();
    if !late.is_empty() {
        panic!(
            "with limit {limit}, {slow_path} taking {} and the {shorts} others at most {} each, \
             the short ones fit through the other {} slot(s) while the slow one runs, but \
             {late:?} finished only after it. A slot that frees up must be used at once, not \
             when the whole batch is done.{}",
            fmt_duration(slow),
            fmt_duration(longest_short),
            limit - 1,
            picture(&trace, "requests")
        );
    }
    // The slow request, plus a few rounds of short ones should it have started last.
    let bound = slow + longest_short * shorts.div_ceil(limit) as u32 + Duration::from_millis(200);
    let sequential: Duration = plan.iter().map(|r| r.latency).sum();
    assert_wall_below(
        called.elapsed(),
        bound,
        sequential,
        &format!("fetch_limited of {} requests, {limit} at a time,", plan.len()),
    );
}

#[test]
async fn fewer_paths_than_the_limit() {
    let mut inputs = Inputs::new();
    let limit = inputs.between(5, 8) as usize;
    let n = inputs.between(3, limit as u64 - 2) as usize;
    let base = inputs.between(150, 200);
    let plan = plan(&mut inputs, n, |inputs, _| base + inputs.between(0, 20));
    let sequential: Duration = plan.iter().map(|r| r.latency).sum();
    let ideal = plan.iter().map(|r| r.latency).max().unwrap_or_default();
    let (called, trace) = run(&plan, limit).await;
    let expected: Vec<String> = plan.iter().map(|r| r.answer.clone()).collect();
    assert_all_once(
        &called.value,
        &expected,
        &format!("the responses of fetch_limited ({n} paths, limit {limit})"),
    );
    assert_peak_overlap_at_least(&trace, n, &format!("requests ({n} paths, limit {limit})"));
    assert_wall_below(
        called.elapsed(),
        halfway(ideal, sequential),
        sequential,
        &format!("fetch_limited of {n} requests with limit {limit}"),
    );
}
