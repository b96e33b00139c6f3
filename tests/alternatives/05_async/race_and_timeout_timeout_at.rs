// Correct alternative for race_and_timeout: `tokio::time::timeout_at` with a
// deadline computed up front, and `futures::future::select_all` over the two
// mirrors boxed as local futures.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::{self, FutureExt};

/// The request did not finish within its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// The answer of `request`, or `Err(TimedOut)` once `limit` has passed.
pub async fn fetch_within(
    request: impl Future<Output = String>,
    limit: Duration,
) -> Result<String, TimedOut> {
    let deadline = tokio::time::Instant::now() + limit;
    match tokio::time::timeout_at(deadline, request).await {
        Ok(answer) => Ok(answer),
        Err(_elapsed) => Err(TimedOut),
    }
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    let mirrors = vec![mirror_a.boxed_local(), mirror_b.boxed_local()];
    let (page, _which, _the_rest) = future::select_all(mirrors).await;
    page
}

/// A pretend server: answers after `ms` milliseconds.
async fn answer(ms: u64, text: &str) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    text.to_string()
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let quick = fetch_within(answer(100, "quick answer"), Duration::from_millis(500)).await;
    println!("{quick:?} after {:?}", started.elapsed());

    let started = Instant::now();
    let slow = fetch_within(answer(3000, "slow answer"), Duration::from_millis(500)).await;
    println!("{slow:?} after {:?}", started.elapsed());

    let started = Instant::now();
    let page = fastest_mirror(answer(800, "page from A"), answer(200, "page from B")).await;
    println!("{page:?} after {:?}", started.elapsed());
}
