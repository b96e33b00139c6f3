// Correct alternative for race_and_timeout: fetch_within races the request
// against `tokio::time::sleep(limit)` in a `tokio::select!`; fastest_mirror
// uses `futures::future::select` on the two pinned mirrors and drops the one
// that lost.

use std::future::Future;
use std::pin::pin;
use std::time::{Duration, Instant};

use futures::future::{self, Either};

/// The request did not finish within its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// The answer of `request`, or `Err(TimedOut)` once `limit` has passed.
pub async fn fetch_within(
    request: impl Future<Output = String>,
    limit: Duration,
) -> Result<String, TimedOut> {
    tokio::select! {
        answer = request => Ok(answer),
        () = tokio::time::sleep(limit) => Err(TimedOut),
    }
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    match future::select(pin!(mirror_a), pin!(mirror_b)).await {
        Either::Left((page, _slower_b)) => page,
        Either::Right((page, _slower_a)) => page,
    }
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
