// Correct alternative for race_and_timeout: no macro at all. Each function
// pins its two futures and polls both by hand in `std::future::poll_fn`,
// finishing with the first that is ready; returning drops the other.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};

/// The request did not finish within its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// The answer of `request`, or `Err(TimedOut)` once `limit` has passed.
pub async fn fetch_within(
    request: impl Future<Output = String>,
    limit: Duration,
) -> Result<String, TimedOut> {
    let mut request = pin!(request);
    let mut timer = pin!(tokio::time::sleep(limit));
    poll_fn(|cx| {
        if let Poll::Ready(answer) = request.as_mut().poll(cx) {
            return Poll::Ready(Ok(answer));
        }
        timer.as_mut().poll(cx).map(|()| Err(TimedOut))
    })
    .await
}

/// The answer of whichever mirror replies first.
pub async fn fastest_mirror(
    mirror_a: impl Future<Output = String>,
    mirror_b: impl Future<Output = String>,
) -> String {
    let mut a = pin!(mirror_a);
    let mut b = pin!(mirror_b);
    poll_fn(|cx| match a.as_mut().poll(cx) {
        Poll::Ready(page) => Poll::Ready(page),
        Poll::Pending => b.as_mut().poll(cx),
    })
    .await
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
