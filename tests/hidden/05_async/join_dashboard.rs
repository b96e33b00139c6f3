//! Hidden checks for `05_async/join_dashboard`.
//!
//! The three futures handed to `load_dashboard` are made by the check: each is a span on a
//! row of its own while it is polled, waits a latency drawn per run and answers values drawn
//! per run (a user name with a token only this run knows, random orders and unread count, an
//! error reason with a token), and notes whether it ran to its end. The checks compare plain
//! fields (`String`, `Vec<u32>`, `usize`), never the learner's types with `==`.
//!
//! - `dashboard_holds_all_three_parts`: each answer in its own field, each request polled
//!   once, inside the call. Bitten by `hard_coded` (the example's values).
//! - `the_three_requests_wait_together`: peak overlap 3 and the whole well under the
//!   sequential cost. Bitten by `sequential` (the starting file).
//! - `an_error_is_returned_without_waiting_for_the_rest`: one request (which one is drawn)
//!   fails early while the others take far longer: the error comes back as it is, soon after
//!   it happened, all three were started at once, and the slow ones were dropped unfinished
//!   before the call returned. Bitten by `join_then_check` (join!, then `?`), `sequential`
//!   (never starts the later requests) and `error_replaced` (a new error instead of the
//!   request's own).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use concur_kit::call::{call_async, Called};
use concur_kit::check::{
    assert_each_once, assert_inside, assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::Trace;

use crate::exercise::{load_dashboard, ApiError, Dashboard};

/// A `load_dashboard` that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);
const PARTS: [&str; 3] = ["user", "orders", "unread"];

/// The requests of one run: their spans, and which of them ran to their end.
#[derive(Clone, Default)]
struct Log {
    trace: Trace,
    finished: Arc<Mutex<Vec<String>>>,
}

impl Log {
    /// A request labelled `label` that answers `value` after `latency`.
    fn call<T: Send + 'static>(
        &self,
        label: &str,
        latency: Duration,
        value: Result<T, ApiError>,
    ) -> impl Future<Output = Result<T, ApiError>> + Send + 'static {
        let log = self.clone();
        let label = label.to_string();
        async move {
            let _row = Row::open(&log.trace, &label);
            tokio::time::sleep(latency).await;
            log.finished.lock().unwrap_or_else(|e| e.into_inner()).push(label);
            value
        }
    }

    fn finished(&self) -> Vec<String> {
        self.finished.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The dashboard's values for one run.
struct Values {
    user: String,
    orders: Vec<u32>,
    unread: usize,
}

fn values(inputs: &mut Inputs) -> Values {
    let name = *inputs.pick(&["Ada", "Grace", "Edsger", "Barbara", "Alan", "Frances"]);
    let id = inputs.between(1, 1_000_000);
    let count = inputs.between(0, 5) as usize;
    Values {
        user: format!("{name} #{:08x}", inputs.salt(id) & 0xffff_ffff),
        orders: (0..count).map(|_| inputs.between(1, 99_999) as u32).collect(),
        unread: inputs.between(0, 500) as usize,
    }
}

/// The plain fields of what came back, so no learner type is compared.
fn fields(result: &Result<Dashboard, ApiError>) -> Result<(String, Vec<u32>, usize), String> {
    match result {
        Ok(d) => Ok((d.user.clone(), d.orders.clone(), d.unread)),
        Err(e) => Err(e.0.clone()),
    }
}

async fn load(
    user: impl Future<Output = Result<String, ApiError>>,
    orders: impl Future<Output = Result<Vec<u32>, ApiError>>,
    unread: impl Future<Output = Result<usize, ApiError>>,
) -> Called<Result<Dashboard, ApiError>> {
    call_async("load_dashboard", DEADLINE, load_dashboard(user, orders, unread)).await
}

fn parts() -> Vec<String> {
    PARTS.iter().map(|p| p.to_string()).collect()
}

#[test]
async fn dashboard_holds_all_three_parts() {
    let mut inputs = Inputs::new();
    let want = values(&mut inputs);
    let mut latencies = inputs.distinct(3, 1, 6);
    inputs.shuffle(&mut latencies);
    let ms = |i: usize| Duration::from_millis(latencies[i] * 10);
    let log = Log::default();
    let called = load(
        log.call("user", ms(0), Ok(want.user.clone())),
        log.call("orders", ms(1), Ok(want.orders.clone())),
        log.call("unread", ms(2), Ok(want.unread)),
    )
    .await;
    let expected = (want.user.clone(), want.orders.clone(), want.unread);
    assert_eq!(
        fields(&called.value),
        Ok(expected),
        "load_dashboard must put each answer in its own field, as the requests gave it (left: \
         what came back as (user, orders, unread), right: what the requests answered)"
    );
    assert_each_once(&log.trace, &parts(), "requests");
    assert_inside(&log.trace, &called, "requests", "load_dashboard");
}

#[test]
async fn the_three_requests_wait_together() {
    let mut inputs = Inputs::new();
    let want = values(&mut inputs);
    let base = inputs.between(150, 250);
    let latencies: Vec<Duration> =
        (0..3).map(|_| Duration::from_millis(base + inputs.between(0, 40))).collect();
    let sequential: Duration = latencies.iter().sum();
    let ideal = latencies.iter().copied().max().unwrap_or_default();
    let bound = ideal + (sequential - ideal) / 2;
    let log = Log::default();
    let called = load(
        log.call("user", latencies[0], Ok(want.user)),
        log.call("orders", latencies[1], Ok(want.orders)),
        log.call("unread", latencies[2], Ok(want.unread)),
    )
    .await;
    if let Err(reason) = fields(&called.value) {
        panic!("no request failed, but load_dashboard returned the error {reason:?}");
    }
    assert_each_once(&log.trace, &parts(), "requests");
    assert_inside(&log.trace, &called, "requests", "load_dashboard");
    assert_peak_overlap_at_least(&log.trace, 3, "requests");
    assert_wall_below(called.elapsed(), bound, sequential, "load_dashboard of 3 requests");
}

#[test]
async fn an_error_is_returned_without_waiting_for_the_rest() {
    let mut inputs = Inputs::new();
    let want = values(&mut inputs);
    let failing = *inputs.pick(&PARTS);
    let status = *inputs.pick(&["500 Internal Server Error", "503 Service Unavailable", "404 Not Found"]);
    let reason = format!("{failing}: {status} (request {:06x})", inputs.salt(7) & 0xff_ffff);
    let fails_after = Duration::from_millis(inputs.between(30, 80));
    let slow = Duration::from_millis(inputs.between(700, 900));
    let latency = |part: &str| if part == failing { fails_after } else { slow };
    let answer = |part: &str| if part == failing { Err(ApiError(reason.clone())) } else { Ok(()) };
    let log = Log::default();
    let called = load(
        log.call("user", latency("user"), answer("user").map(|()| want.user)),
        log.call("orders", latency("orders"), answer("orders").map(|()| want.orders)),
        log.call("unread", latency("unread"), answer("unread").map(|()| want.unread)),
    )
    .await;
    let took = called.elapsed();
    match fields(&called.value) {
        Ok(_) => panic!("the {failing} request failed, but load_dashboard returned Ok"),
        Err(got) if got != reason => panic!(
            "the {failing} request failed with ApiError({reason:?}), but load_dashboard \
             returned ApiError({got:?}): the error must be returned as it is"
        ),
        Err(_) => {}
    }
    let bound = fails_after + (slow - fails_after) / 2;
    if took >= bound {
        let finished = log.finished();
        panic!(
            "load_dashboard returned the error after {}, but the {failing} request failed after \
             {} (the others take {}; ran to their end: {finished:?}): the error must come back \
             as soon as it happens, without waiting for the other requests, since the dashboard \
             can no longer be built.{}",
            fmt_duration(took),
            fmt_duration(fails_after),
            fmt_duration(slow),
            picture(&log.trace, "requests")
        );
    }
    let spans = log.trace.spans();
    let not_started: Vec<&str> = PARTS
        .iter()
        .copied()
        .filter(|p| !spans.iter().any(|s| s.label == *p))
        .collect();
    if !not_started.is_empty() {
        panic!(
            "the {failing} request failed after {}, and load_dashboard returned its error, but \
             the {not_started:?} request(s) were never started: the three requests must be \
             sent at once, not one after another.{}",
            fmt_duration(fails_after),
            picture(&log.trace, "requests")
        );
    }
    // The slow requests were dropped (which cancels them) before load_dashboard returned.
    assert_inside(&log.trace, &called, "requests", "load_dashboard");
}
