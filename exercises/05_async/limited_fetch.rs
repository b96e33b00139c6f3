// JoinSet: a bounded number of tasks
//
// Spawning a task per request is fine for ten requests, but a server asked for
// ten thousand pages at once will not thank you. A polite client keeps at most
// `limit` requests in flight, and starts the next one as soon as one finishes.
//
// `tokio::task::JoinSet` holds a set of spawned tasks: `set.spawn(future)`
// adds one, `set.join_next().await` waits for whichever finishes first and
// gives `Some(result)`, or `None` once the set is empty; `set.len()` says how
// many are still running. (Dropping a JoinSet aborts the tasks still in it.)
//
// Your task: write `fetch_limited`. It must
//   - fetch every path exactly once and return every response (in the order
//     they finish; the checks accept any order),
//   - never have more than `limit` requests in flight,
//   - keep `limit` requests in flight while there are paths left: as soon as
//     one finishes, the next one starts, without waiting for the others.
//
// `concur run limited_fetch` runs `main`.

use std::future::Future;
use std::time::{Duration, Instant};

/// Fetches every path with `fetch`, at most `limit` at a time, and returns the
/// responses in the order they finish.
pub async fn fetch_limited<F, Fut>(paths: Vec<String>, limit: usize, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    // TODO: keep up to `limit` requests running in a JoinSet, starting the
    // next path each time one of them finishes.
    todo!("fetch {} paths, {limit} at a time", paths.len())
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
