//! Hidden checks for `05_async/race_and_timeout`.
//!
//! The requests handed to the learner sleep a known latency inside a span (one timeline row
//! each) and note in `finished` when they ran to their end. A request that was cancelled
//! (dropped) still closes its span when dropped, but never reaches `finished`, so the checks
//! can tell a dropped request from one that kept running in the background.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use concur_kit::timeline::fmt_duration;
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::Trace;

use crate::exercise::{fastest_mirror, fetch_within, TimedOut};

const DEADLINE: Duration = Duration::from_secs(5);

/// The trace of the requests, and the labels of those that ran to their end.
#[derive(Clone, Default)]
struct Log {
    trace: Trace,
    finished: Arc<Mutex<Vec<String>>>,
}

impl Log {
    fn request(&self, label: &str, latency: Duration) -> Pin<Box<dyn Future<Output = String> + Send>> {
        let log = self.clone();
        let label = label.to_string();
        Box::pin(async move {
            let _row = Row::open(&log.trace, &label);
            tokio::time::sleep(latency).await;
            log.finished.lock().unwrap().push(label.clone());
            format!("answer from {label}")
        })
    }

    fn finished(&self) -> Vec<String> {
        self.finished.lock().unwrap().clone()
    }
}

async fn within_deadline<T>(what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(DEADLINE, future).await {
        Ok(value) => value,
        Err(_) => panic!("{what} did not return within {DEADLINE:?}"),
    }
}

#[test]
async fn a_quick_answer_is_returned() {
    let log = Log::default();
    let got = within_deadline(
        "fetch_within",
        fetch_within(log.request("quick", Duration::from_millis(50)), Duration::from_millis(500)),
    )
    .await;
    assert_eq!(
        got,
        Ok("answer from quick".to_string()),
        "a request answering after 50 ms with a limit of 500 ms must give Ok(its answer)"
    );
}

#[test]
async fn a_slow_request_times_out_on_time() {
    let log = Log::default();
    let limit = Duration::from_millis(200);
    let latency = Duration::from_secs(2);
    let started = Instant::now();
    let got = within_deadline("fetch_within", fetch_within(log.request("slow", latency), limit)).await;
    let took = started.elapsed();
    // Generous: 5 × the limit, half the request's own latency.
    let bound = Duration::from_secs(1);
    if took >= bound {
        let pic = picture(&log.trace, "requests");
        panic!(
            "fetch_within(a request of {}, limit {}) returned {got:?} after {}: the time \
             limit did not cut the request short, it waited for the answer anyway. The limit \
             must end the wait, not be checked afterwards.{pic}",
            fmt_duration(latency),
            fmt_duration(limit),
            fmt_duration(took)
        );
    }
    assert_eq!(
        got,
        Err(TimedOut),
        "a request of 2 s with a limit of 200 ms must give Err(TimedOut)"
    );
}

#[test]
async fn the_faster_mirror_wins() {
    let log = Log::default();
    let started = Instant::now();
    let page = within_deadline(
        "fastest_mirror",
        fastest_mirror(
            log.request("mirror A", Duration::from_millis(800)),
            log.request("mirror B", Duration::from_millis(50)),
        ),
    )
    .await;
    let took = started.elapsed();
    assert_eq!(
        page, "answer from mirror B",
        "mirror A answers after 800 ms and mirror B after 50 ms, so fastest_mirror must \
         return B's answer"
    );
    // Generous: 8 × B's latency, half of A's.
    if took >= Duration::from_millis(400) {
        let pic = picture(&log.trace, "mirrors");
        panic!(
            "fastest_mirror returned B's answer after {}, but B answered after 50 ms: it \
             waited for mirror A (800 ms) as well.{pic}",
            fmt_duration(took)
        );
    }
}

#[test]
async fn the_slower_mirror_is_dropped_unfinished() {
    let log = Log::default();
    let slow = Duration::from_millis(300);
    let page = within_deadline(
        "fastest_mirror",
        fastest_mirror(
            log.request("mirror A", Duration::from_millis(50)),
            log.request("mirror B", slow),
        ),
    )
    .await;
    assert_eq!(page, "answer from mirror A", "mirror A answers first, after 50 ms");
    // Give a mirror that was left running every chance to finish.
    tokio::time::sleep(slow + Duration::from_millis(100)).await;
    let finished = log.finished();
    if finished.iter().any(|label| label == "mirror B") {
        let pic = picture(&log.trace, "mirrors");
        panic!(
            "mirror B ran to its end after mirror A had already answered (finished: \
             {finished:?}). Once the first answer is in, the slower request should be \
             dropped, which cancels it.{pic}"
        );
    }
}
