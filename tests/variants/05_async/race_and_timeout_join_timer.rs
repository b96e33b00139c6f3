// expect-fail: a_quick_answer_is_returned
// expect-fail: a_slow_request_times_out_on_time
//
// Wrong variant of race_and_timeout: it awaits the request and a sleep of
// `limit` together with join!, and then compares when each was done. Both are
// polled at once, but join! waits for both: a quick answer waits for the
// limit, and a slow one is waited for to its end.

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
    let answer = async { (request.await, Instant::now()) };
    let timer = async {
        tokio::time::sleep(limit).await;
        Instant::now()
    };
    let ((answer, answered), limit_passed) = tokio::join!(answer, timer);
    if answered <= limit_passed {
        Ok(answer)
    } else {
        Err(TimedOut)
    }
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    tokio::select! {
        page = mirror_a => page,
        page = mirror_b => page,
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
