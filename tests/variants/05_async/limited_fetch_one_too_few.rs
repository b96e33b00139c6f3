// expect-fail: limit_requests_wait_at_the_same_time
//
// Wrong variant of limited_fetch: an off-by-one the other way. It waits for a
// request as soon as `limit` would be reached, so only `limit - 1` are in
// flight.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

/// Fetches every path with `fetch`, at most `limit` at a time, and returns the
/// responses in the order they finish.
pub async fn fetch_limited<F, Fut>(paths: Vec<String>, limit: usize, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut running = JoinSet::new();
    let mut responses = Vec::with_capacity(paths.len());
    for path in paths {
        if running.len() + 1 >= limit.max(2) {
            if let Some(done) = running.join_next().await {
                responses.push(done.expect("a request panicked"));
            }
        }
        running.spawn(fetch(path));
    }
    while let Some(done) = running.join_next().await {
        responses.push(done.expect("a request panicked"));
    }
    responses
}

/// A pretend server: every answer takes 200 ms.
async fn fake_fetch(path: String) -> String {
    tokio::time::sleep(Duration::from_millis(200)).await;
    format!("200 OK {path}")
}

#[tokio::main]
async fn main() {
    let paths: Vec<String> = (1..=9).map(|n| format!("/pages/{n}")).collect();
    let started = Instant::now();
    let responses = fetch_limited(paths, 3, fake_fetch).await;
    for response in &responses {
        println!("{response}");
    }
    println!("9 requests of 200 ms, 3 at a time, took {:?}", started.elapsed());
}
