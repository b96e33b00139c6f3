// expect-fail: a_free_slot_is_filled_at_once
//
// Wrong variant of limited_fetch: it fetches the paths in batches of `limit`
// and waits for a whole batch before starting the next, so one slow request
// holds up every slot.

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
    let mut responses = Vec::with_capacity(paths.len());
    for batch in paths.chunks(limit.max(1)) {
        let mut running = JoinSet::new();
        for path in batch {
            running.spawn(fetch(path.clone()));
        }
        while let Some(finished) = running.join_next().await {
            responses.push(finished.expect("a request panicked"));
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
