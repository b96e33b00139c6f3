// Correct alternative for spawn_tasks: no tasks at all. `join_all` polls
// every request future together inside this task and gives the outputs in the
// order of the futures.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::join_all;

/// Fetches every path with `fetch`, all at the same time, and returns the
/// responses in the order of `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    join_all(paths.into_iter().map(fetch)).await
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
