// select! and timeouts
//
// Sometimes you want the first of several things, not all of them: the answer
// of whichever mirror replies first, or the answer if it comes in time and an
// error otherwise. `tokio::select!` polls several futures at once and runs the
// branch of the first one to finish; the others are *dropped*, and dropping a
// future cancels it: it never runs another step. `tokio::time::timeout(limit,
// future)` is the common case ready-made: it gives `Ok(output)` if the future
// finishes within `limit`, or `Err(Elapsed)` once the time is up, dropping the
// future.
//
// Your task:
//   - `fetch_within` returns the answer if `request` finishes within `limit`,
//     and `Err(TimedOut)` as soon as `limit` has passed otherwise;
//   - `fastest_mirror` asks two mirrors for the same page and returns the
//     answer that arrives first, without waiting for the other one.
//
// Any way of racing two futures will do: `tokio::select!`,
// `tokio::time::timeout`, or `select` from the `futures` crate. The checks
// look at when your functions return and whether the future that lost was
// dropped before they did.
//
// `concur run race_and_timeout` runs `main`.

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
    // TODO: this waits for the answer however long it takes.
    let _ = limit;
    Ok(request.await)
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    // TODO: this always waits for mirror A, even when B is faster.
    let _ = mirror_b;
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
