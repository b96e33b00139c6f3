// Correct alternative for race_and_timeout: `futures::select!` over fused,
// pinned futures, for the time limit (a tokio sleep) and for the mirrors.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::{pin_mut, select, FutureExt};

/// The request did not finish within its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// The answer of `request`, or `Err(TimedOut)` once `limit` has passed.
pub async fn fetch_within(
    request: impl Future<Output = String>,
    limit: Duration,
) -> Result<String, TimedOut> {
    let request = request.fuse();
    let timer = tokio::time::sleep(limit).fuse();
    pin_mut!(request, timer);
    select! {
        answer = request => Ok(answer),
        () = timer => Err(TimedOut),
    }
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    let a = mirror_a.fuse();
    let b = mirror_b.fuse();
    pin_mut!(a, b);
    select! {
        page = a => page,
        page = b => page,
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
