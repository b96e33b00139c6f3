// expect-fail: every_path_is_fetched_once
// expect-fail: fewer_paths_than_the_limit
//
// Wrong variant of limited_fetch: the requests run `limit` at a time, but
// their answers are thrown away and the responses made up from the paths.

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
    let mut answers = Vec::with_capacity(paths.len());
    let mut queue = paths.clone().into_iter();
    let mut running = JoinSet::new();
    loop {
        while running.len() < limit.max(1) {
            let Some(path) = queue.next() else { break };
            running.spawn(fetch(path));
        }
        if running.join_next().await.is_none() {
            break;
        }
    }
    for path in paths {
        answers.push(format!("200 OK {path}"));
    }
    answers
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
