//! Hidden checks for `05_async/join_dashboard`.
//!
//! The three futures handed to `load_dashboard` sleep a known latency inside a span (one
//! timeline row each), so the checks can see whether they waited together, and how long the
//! learner's code went on waiting after one of them failed.

use std::future::Future;
use std::time::{Duration, Instant};

use concur_kit::check::TIMELINE_WIDTH;
use concur_kit::timeline::fmt_duration;
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::{now_us, Span, Trace};

use crate::exercise::{load_dashboard, ApiError, Dashboard};

const LATENCY: Duration = Duration::from_millis(200);
/// The slow requests of the failure check, and the failing one.
const SLOW: Duration = Duration::from_millis(1000);
const FAILS_AFTER: Duration = Duration::from_millis(50);
/// Far above the 50 ms after which the error is known, half the 1 s the other requests take.
const ERROR_BOUND: Duration = Duration::from_millis(500);
const DEADLINE: Duration = Duration::from_secs(5);

fn call<T>(
    trace: &Trace,
    label: &str,
    latency: Duration,
    value: Result<T, ApiError>,
) -> impl Future<Output = Result<T, ApiError>> {
    let trace = trace.clone();
    let label = label.to_string();
    async move {
        let _row = Row::open(&trace, &label);
        tokio::time::sleep(latency).await;
        value
    }
}

async fn load(
    user: impl Future<Output = Result<String, ApiError>>,
    orders: impl Future<Output = Result<Vec<u32>, ApiError>>,
    unread: impl Future<Output = Result<usize, ApiError>>,
) -> Result<Dashboard, ApiError> {
    match tokio::time::timeout(DEADLINE, load_dashboard(user, orders, unread)).await {
        Ok(result) => result,
        Err(_) => panic!("load_dashboard did not return within {DEADLINE:?}"),
    }
}

#[test]
async fn dashboard_holds_all_three_parts() {
    let trace = Trace::new();
    let got = load(
        call(&trace, "user", Duration::from_millis(30), Ok("Ada".to_string())),
        call(&trace, "orders", Duration::from_millis(10), Ok(vec![17, 42])),
        call(&trace, "unread", Duration::from_millis(20), Ok(3)),
    )
    .await;
    let expected = Dashboard { user: "Ada".to_string(), orders: vec![17, 42], unread: 3 };
    assert_eq!(
        got,
        Ok(expected),
        "load_dashboard must put each answer in its own field (left: what came back, right: \
         what was expected)"
    );
}

#[test]
async fn the_three_requests_wait_together() {
    let trace = Trace::new();
    load(
        call(&trace, "user", LATENCY, Ok("Ada".to_string())),
        call(&trace, "orders", LATENCY, Ok(vec![1])),
        call(&trace, "unread", LATENCY, Ok(0)),
    )
    .await
    .expect("no request failed, so load_dashboard must return Ok");
    let peak = trace.peak_overlap();
    if peak < 3 {
        let pic = picture(&trace, "requests");
        panic!(
            "the three requests of {LATENCY:?} each did not wait together: peak overlap \
             {peak}, expected 3. Each request was awaited before the next one was polled.{pic}"
        );
    }
}

#[test]
async fn an_error_is_returned_without_waiting_for_the_rest() {
    let trace = Trace::new();
    let reason = "orders: 503 Service Unavailable".to_string();
    let started = Instant::now();
    let got = load(
        call(&trace, "user", SLOW, Ok("Ada".to_string())),
        call(&trace, "orders", FAILS_AFTER, Err(ApiError(reason.clone()))),
        call(&trace, "unread", SLOW, Ok(3)),
    )
    .await;
    let took = started.elapsed();
    assert_eq!(
        got,
        Err(ApiError(reason)),
        "the orders request failed, so load_dashboard must return its error as it is"
    );
    if took >= ERROR_BOUND {
        let pic = picture(&trace, "requests");
        panic!(
            "load_dashboard returned the error after {}, but the orders request failed \
             after {FAILS_AFTER:?}: it went on waiting for the other requests ({SLOW:?} each) \
             although the dashboard could no longer be built.{pic}",
            fmt_duration(took)
        );
    }
}
