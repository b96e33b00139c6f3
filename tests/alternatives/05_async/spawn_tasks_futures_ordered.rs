// Correct alternative for spawn_tasks: the spawned tasks' handles in a
// `FuturesOrdered`, which polls them all and yields their results in the order
// they were pushed.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::stream::{FuturesOrdered, StreamExt};

/// Fetches every path with `fetch`, all at the same time, and returns the
/// responses in the order of `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut tasks: FuturesOrdered<_> = paths.into_iter().map(|path| tokio::spawn(fetch(path))).collect();
    let mut responses = Vec::new();
    while let Some(done) = tasks.next().await {
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
    let paths: Vec<String> = (1..=8).map(|n| format!("/users/{n}")).collect();
    let started = Instant::now();
    let responses = fetch_all(paths, fake_fetch).await;
    for response in &responses {
        println!("{response}");
    }
    println!("8 requests of 200 ms took {:?}", started.elapsed());
}
