// JoinSet: a bounded number of tasks.
//
// Reference solution. The JoinSet holds the requests in flight. Free slots are
// filled from the paths; `join_next` then waits for whichever request finishes
// first, which frees a slot for the next path.

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
    let mut responses = Vec::with_capacity(paths.len());
    // Fill the free slots, then wait for one task to finish; repeat until both
    // the paths and the set are empty.
    loop {
        while running.len() < limit.max(1) {
            let Some(path) = paths.next() else { break };
            running.spawn(fetch(path));
        }
        let Some(finished) = running.join_next().await else { break };
        // A task only fails to join if it panicked; pass the panic on as it was.
        let response =
            finished.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()));
        responses.push(response);
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
