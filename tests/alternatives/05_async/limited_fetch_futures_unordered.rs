// Correct alternative for limited_fetch: request futures in a
// FuturesUnordered, polled in this task without spawning; a new one is pushed
// each time one finishes.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};

/// Fetches every path with `fetch`, at most `limit` at a time, and returns the
/// responses in the order they finish.
pub async fn fetch_limited<F, Fut>(paths: Vec<String>, limit: usize, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut paths = paths.into_iter();
    let mut running = FuturesUnordered::new();
    for path in paths.by_ref().take(limit.max(1)) {
        running.push(fetch(path));
    }
    let mut responses = Vec::new();
    while let Some(response) = running.next().await {
        responses.push(response);
        if let Some(path) = paths.next() {
            running.push(fetch(path));
        }
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
