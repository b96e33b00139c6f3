// expect-fail: responses_come_back_in_the_order_of_paths
//
// Wrong variant of spawn_tasks: every request is in flight at once in a
// JoinSet, but the responses are collected in the order the requests finish,
// not in the order of `paths`.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

/// Fetches every path with `fetch` and returns the responses in the order of
/// `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut running: JoinSet<String> = paths.into_iter().map(|path| fetch(path)).collect();
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
    let paths: Vec<String> = (1..=8).map(|n| format!("/users/{n}")).collect();
    let started = Instant::now();
    let responses = fetch_all(paths, fake_fetch).await;
    for response in &responses {
        println!("{response}");
    }
    println!("8 requests of 200 ms took {:?}", started.elapsed());
}
