// Correct alternative for limited_fetch: a fixed set of `limit` workers, run
// together in this task with join_all. Each takes the next path from a shared
// queue as soon as its previous request is done.

use std::future::Future;
use std::time::{Duration, Instant};

use std::cell::RefCell;

use futures::future::join_all;

/// Fetches every path with `fetch`, at most `limit` at a time, and returns the
/// responses in the order they finish.
pub async fn fetch_limited<F, Fut>(paths: Vec<String>, limit: usize, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let queue = RefCell::new(paths.into_iter());
    let next_path = || queue.borrow_mut().next();
    let worker = || async {
        let mut responses = Vec::new();
        while let Some(path) = next_path() {
            responses.push(fetch(path).await);
        }
        responses
    };
    let workers = join_all((0..limit.max(1)).map(|_| worker())).await;
    workers.into_iter().flatten().collect()
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
