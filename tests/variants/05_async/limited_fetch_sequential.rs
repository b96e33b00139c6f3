// expect-fail: limit_requests_wait_at_the_same_time
// expect-fail: a_free_slot_is_filled_at_once
// expect-fail: fewer_paths_than_the_limit
//
// Wrong variant of limited_fetch: one request at a time, whatever `limit` says.

use std::future::Future;
use std::time::{Duration, Instant};

/// Fetches every path with `fetch`, at most `limit` at a time, and returns the
/// responses in the order they finish.
pub async fn fetch_limited<F, Fut>(paths: Vec<String>, limit: usize, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut responses = Vec::with_capacity(paths.len());
    for path in paths {
        responses.push(fetch(path).await);
    }
    let _ = limit;
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
