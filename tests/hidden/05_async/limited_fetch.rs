//! Hidden checks for `05_async/limited_fetch`.
//!
//! Every request sleeps a known latency inside a span (one timeline row each). The checks
//! judge the trace: never more than `limit` spans open at once, at least `limit` open at some
//! moment, and, with one slow request holding a slot, the short ones all passing through the
//! other slot before the slow one ends (a pool that works in batches would hold them back).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use concur_kit::check::{
    assert_all_once, assert_peak_overlap_at_least, assert_peak_overlap_at_most, TIMELINE_WIDTH,
};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::{now_us, Span, Trace};

use crate::exercise::fetch_limited;

const LATENCY: Duration = Duration::from_millis(100);
const LIMIT: usize = 3;
const REQUESTS: usize = 10;
const DEADLINE: Duration = Duration::from_secs(5);

type Fetch = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync>;

/// A `fetch` whose requests wait their latency in `latencies` (else `LATENCY`), traced.
fn traced_fetch(trace: &Trace, latencies: HashMap<String, Duration>) -> Fetch {
    let trace = trace.clone();
    let latencies = Arc::new(latencies);
    Box::new(move |path: String| {
        let trace = trace.clone();
        let latency = latencies.get(&path).copied().unwrap_or(LATENCY);
        Box::pin(async move {
            let _row = Row::open(&trace, &path);
            tokio::time::sleep(latency).await;
            format!("response to {path}")
        })
    })
}

async fn run(
    paths: &[String],
    limit: usize,
    latencies: HashMap<String, Duration>,
) -> (Vec<String>, Trace) {
    let trace = Trace::new();
    let fetch = traced_fetch(&trace, latencies);
    match tokio::time::timeout(DEADLINE, fetch_limited(paths.to_vec(), limit, fetch)).await {
        Ok(responses) => (responses, trace),
        Err(_) => panic!(
            "fetch_limited did not return within {DEADLINE:?}, although {} requests of at most \
             1 s, {limit} at a time, take far less. Does the loop stop once the set is empty?",
            paths.len()
        ),
    }
}

fn paths(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("/pages/{i}")).collect()
}

#[test]
async fn every_path_is_fetched_once() {
    let paths = paths(REQUESTS);
    let (responses, _) = run(&paths, LIMIT, HashMap::new()).await;
    let expected: Vec<String> = paths.iter().map(|p| format!("response to {p}")).collect();
    assert_all_once(&responses, &expected, "responses of fetch_limited (10 paths, limit 3)");
}

#[test]
async fn never_more_than_limit_requests_at_once() {
    let (_, trace) = run(&paths(REQUESTS), LIMIT, HashMap::new()).await;
    assert_peak_overlap_at_most(&trace, LIMIT, "requests");
}

#[test]
async fn limit_requests_wait_at_the_same_time() {
    let (_, trace) = run(&paths(REQUESTS), LIMIT, HashMap::new()).await;
    assert_peak_overlap_at_least(&trace, LIMIT, "requests");
}

#[test]
async fn a_free_slot_is_filled_at_once() {
    // Limit 2: the slow request holds one slot for 1 s; the four short ones (100 ms each) fit
    // through the other slot in 400 ms, long before the slow one ends.
    let slow = "/pages/slow".to_string();
    let short: Vec<String> = paths(4);
    let all: Vec<String> = std::iter::once(slow.clone()).chain(short.iter().cloned()).collect();
    let latencies = HashMap::from([(slow.clone(), Duration::from_secs(1))]);
    let (_, trace) = run(&all, 2, latencies).await;
    let spans = trace.spans();
    let Some(slow_end) = spans.iter().find(|s| s.label == slow).map(|s| s.end_us) else {
        panic!("the slow request {slow} was never fetched");
    };
    let late: Vec<&str> = spans
        .iter()
        .filter(|s| s.label != slow && s.end_us > slow_end)
        .map(|s| s.label.as_str())
        .collect();
    if !late.is_empty() {
        let pic = picture(&trace, "requests");
        panic!(
            "with limit 2, one request taking 1 s and four taking 100 ms, the four short ones \
             fit through the second slot while the slow one runs, but {late:?} finished only \
             after it. A slot that frees up must be used at once, not when the whole batch is \
             done.{pic}"
        );
    }
}
