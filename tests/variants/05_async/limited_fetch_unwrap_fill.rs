// expect-fail: fewer_paths_than_the_limit
//
// Wrong variant of limited_fetch: it fills the `limit` slots with
// `paths.next().unwrap()`, which panics when there are fewer paths than slots.

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
    let mut paths = paths.into_iter();
    let mut running = JoinSet::new();
    for _ in 0..limit {
        running.spawn(fetch(paths.next().unwrap()));
    }
    let mut responses = Vec::new();
    while let Some(done) = running.join_next().await {
        responses.push(done.expect("a request panicked"));
        if let Some(path) = paths.next() {
            running.spawn(fetch(path));
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
