//! Hidden checks for `05_async/spawn_tasks`.
//!
//! The learner's `fetch_all` gets a `fetch` made by the check: paths, latencies and answers
//! are drawn per run (`Inputs`), and each answer carries a token only this run knows
//! (`Inputs::salt`), so a response can only come from calling `fetch` for that path. Every
//! request is a span on a row of its own while its future is polled; each path must be
//! fetched exactly once (`assert_each_once`), inside the call (`assert_inside`).
//!
//! - `responses_come_back_in_the_order_of_paths`: the latencies are shuffled so that finishing
//!   order is not path order. Bitten by `finish_order` (a JoinSet, answers as they finish)
//!   and `predicted` (answers built from the paths, never from `fetch`).
//! - `requests_wait_at_the_same_time`: every request open at once (peak overlap = all) and
//!   the whole well under the sequential cost (halfway between all at once and one after
//!   another). Bitten by `await_each` (spawn, then await at once), `lazy_futures` (futures
//!   made first, awaited one by one: futures are lazy) and `batches` (a few at a time).
//!
//! `#[test]` runs a current_thread runtime, which is enough: tasks that sleep asynchronously
//! overlap on one thread.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use concur_kit::call::call_async;
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_inside, assert_peak_overlap_at_least,
    assert_wall_below,
};
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::fetch_all;

/// A `fetch_all` that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

type Fetch = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync>;

/// One request of a run: its path, how long it takes, and the answer only this run knows.
#[derive(Clone)]
struct Request {
    path: String,
    latency: Duration,
    answer: String,
}

/// `n` requests for distinct random paths, each answering after the latency `latency(i)`.
fn plan(inputs: &mut Inputs, n: usize, mut latency: impl FnMut(&mut Inputs, usize) -> u64) -> Vec<Request> {
    let ids = inputs.distinct(n, 1, 9999);
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            let resource = *inputs.pick(&["users", "orders", "posts", "carts"]);
            let path = format!("/{resource}/{id}");
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

#[test]
async fn responses_come_back_in_the_order_of_paths() {
    let mut inputs = Inputs::new();
    let n = inputs.between(5, 7) as usize;
    let mut latencies = inputs.distinct(n, 2, 14);
    // Finishing order must differ from path order: not shortest first.
    while latencies.windows(2).all(|w| w[0] < w[1]) {
        inputs.shuffle(&mut latencies);
    }
    let plan = plan(&mut inputs, n, |_, i| latencies[i] * 10);
    let trace = Trace::new();
    let called =
        call_async("fetch_all", DEADLINE, fetch_all(paths(&plan), traced_fetch(&trace, &plan))).await;
    let expected: Vec<String> = plan.iter().map(|r| r.answer.clone()).collect();
    assert_all_once(
        &called.value,
        &expected,
        "the responses of fetch_all (each must be what fetch answered for its path)",
    );
    assert_each_once(&trace, &paths(&plan), "requests");
    assert_inside(&trace, &called, "requests", "fetch_all");
    if called.value != expected {
        let by_answer: HashMap<&str, &str> =
            plan.iter().map(|r| (r.answer.as_str(), r.path.as_str())).collect();
        let got: Vec<&str> = called.value.iter().map(|a| by_answer[a.as_str()]).collect();
        let mut finished: Vec<&Request> = plan.iter().collect();
        finished.sort_by_key(|r| r.latency);
        let finished: Vec<&str> = finished.iter().map(|r| r.path.as_str()).collect();
        let hint = if got == finished {
            " That is the order in which the requests finished."
        } else {
            ""
        };
        panic!(
            "fetch_all returned the right responses in the wrong order: the responses of \
             {got:?}, but the paths were {:?}.{hint} The responses must come back in the \
             order of `paths`, whichever request finishes first.",
            paths(&plan)
        );
    }
}

#[test]
async fn requests_wait_at_the_same_time() {
    let mut inputs = Inputs::new();
    let n = inputs.between(6, 10) as usize;
    let base = inputs.between(150, 200);
    let plan = plan(&mut inputs, n, |inputs, _| base + inputs.between(0, 50));
    let sequential: Duration = plan.iter().map(|r| r.latency).sum();
    let ideal = plan.iter().map(|r| r.latency).max().unwrap_or_default();
    // Halfway between all at once and one after another: several times the ideal to spare.
    let bound = ideal + (sequential - ideal) / 2;
    let trace = Trace::new();
    let called =
        call_async("fetch_all", DEADLINE, fetch_all(paths(&plan), traced_fetch(&trace, &plan))).await;
    assert_each_once(&trace, &paths(&plan), "requests");
    assert_inside(&trace, &called, "requests", "fetch_all");
    assert_peak_overlap_at_least(&trace, n, "requests");
    assert_wall_below(called.elapsed(), bound, sequential, &format!("fetch_all of {n} requests"));
}
