// Correct alternative for spawn_tasks: a JoinSet, each task tagged with the
// index of its path, and every response put back in its place as it arrives.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

/// Fetches every path with `fetch`, all at the same time, and returns the
/// responses in the order of `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let count = paths.len();
    let mut running = JoinSet::new();
    for (index, path) in paths.into_iter().enumerate() {
        let request = fetch(path);
        running.spawn(async move { (index, request.await) });
    }
    let mut slots: Vec<Option<String>> = vec![None; count];
    while let Some(done) = running.join_next().await {
        let (index, response) = done.expect("a request panicked");
        slots[index] = Some(response);
    }
    slots.into_iter().map(|slot| slot.expect("every request answered")).collect()
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
