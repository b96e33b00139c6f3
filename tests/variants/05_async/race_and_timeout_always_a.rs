// expect-fail: the_faster_mirror_wins
// expect-fail: the_slower_mirror_is_dropped_unfinished
//
// Wrong variant of race_and_timeout: fastest_mirror awaits mirror A alone, as
// the starting file does. When A is the faster one its answer is right, but B
// is never even started, and when B is faster A's answer still comes back.

use std::future::Future;
use std::time::{Duration, Instant};

/// The request did not finish within its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// The answer of `request`, or `Err(TimedOut)` once `limit` has passed.
pub async fn fetch_within(
    request: impl Future<Output = String>,
    limit: Duration,
) -> Result<String, TimedOut> {
    tokio::time::timeout(limit, request).await.map_err(|_elapsed| TimedOut)
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    drop(mirror_b);
    mirror_a.await
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
