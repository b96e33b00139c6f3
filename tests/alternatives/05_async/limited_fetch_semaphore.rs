// Correct alternative for limited_fetch: every request is spawned at once into
// a JoinSet, and each waits for one of `limit` semaphore permits before it
// starts; the permit is held until the request is done.

use std::future::Future;
use std::time::{Duration, Instant};

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Fetches every path with `fetch`, at most `limit` at a time, and returns the
/// responses in the order they finish.
pub async fn fetch_limited<F, Fut>(paths: Vec<String>, limit: usize, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut running = JoinSet::new();
    for path in paths {
        let request = fetch(path);
        let permits = Arc::clone(&permits);
        running.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("the semaphore is never closed");
            request.await
        });
    }
    let mut responses = Vec::new();
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
