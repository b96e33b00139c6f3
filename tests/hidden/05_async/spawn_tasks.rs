//! Hidden checks for `05_async/spawn_tasks`.
//!
//! The learner's `fetch_all` gets a `fetch` whose futures sleep a known latency inside a span
//! (one timeline row per request), so the sequential cost is known exactly (8 × 200 ms =
//! 1.6 s). The primary fact is the peak number of requests waiting at once; the wall-clock
//! bound is secondary and generous. `#[test]` runs a current_thread runtime, which is
//! enough: tasks that sleep asynchronously overlap on one thread.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use concur_kit::check::{assert_wall_below, TIMELINE_WIDTH};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::{now_us, Span, Trace};

use crate::exercise::fetch_all;

const LATENCY: Duration = Duration::from_millis(200);
const REQUESTS: usize = 8;
/// Far above the ideal 200 ms of 8 requests at once, half the 1.6 s of one after another.
const WALL_BOUND: Duration = Duration::from_millis(800);
/// A `fetch_all` that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// A `fetch` for the learner: each path waits its latency in `latencies`, traced.
fn traced_fetch(
    trace: &Trace,
    latencies: HashMap<String, Duration>,
) -> impl Fn(String) -> std::pin::Pin<Box<dyn Future<Output = String> + Send>> {
    let trace = trace.clone();
    let latencies = Arc::new(latencies);
    move |path: String| {
        let trace = trace.clone();
        let latency = latencies.get(&path).copied().unwrap_or(LATENCY);
        Box::pin(async move {
            let _row = Row::open(&trace, &path);
            tokio::time::sleep(latency).await;
            format!("response to {path}")
        })
    }
}

async fn run(paths: &[String], latencies: HashMap<String, Duration>) -> (Vec<String>, Trace) {
    let trace = Trace::new();
    let fetch = traced_fetch(&trace, latencies);
    match tokio::time::timeout(DEADLINE, fetch_all(paths.to_vec(), fetch)).await {
        Ok(responses) => (responses, trace),
        Err(_) => panic!(
            "fetch_all did not return within {DEADLINE:?}, although every request is answered \
             in well under a second"
        ),
    }
}

fn paths(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("/users/{i}")).collect()
}

#[test]
async fn responses_come_back_in_the_order_of_paths() {
    // The first path answers last and the last first, so finishing order is not path order.
    let paths = paths(5);
    let latencies = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), Duration::from_millis(20 * (5 - i as u64))))
        .collect();
    let (responses, _) = run(&paths, latencies).await;
    let expected: Vec<String> = paths.iter().map(|p| format!("response to {p}")).collect();
    assert_eq!(
        responses, expected,
        "fetch_all must return one response per path, in the order of the paths, even when \
         the later paths answer first (left: what came back, right: what was expected)"
    );
}

#[test]
async fn requests_wait_at_the_same_time() {
    let (_, trace) = run(&paths(REQUESTS), HashMap::new()).await;
    let peak = trace.peak_overlap();
    if peak >= REQUESTS {
        return;
    }
    let pic = picture(&trace, "requests");
    if trace.is_empty() {
        panic!("fetch_all never awaited a single request: did it call fetch?");
    }
    if peak == 1 {
        panic!(
            "the {REQUESTS} requests ran one after another: peak overlap 1, expected \
             {REQUESTS}. Each request finished before the next one started.{pic}"
        );
    }
    panic!("only {peak} of the {REQUESTS} requests waited at the same time, expected all {REQUESTS}.{pic}");
}

#[test]
async fn all_responses_arrive_well_within_the_sequential_time() {
    let started = Instant::now();
    run(&paths(REQUESTS), HashMap::new()).await;
    let sequential = LATENCY * REQUESTS as u32;
    assert_wall_below(started.elapsed(), WALL_BOUND, sequential, "8 requests of 200 ms");
}
