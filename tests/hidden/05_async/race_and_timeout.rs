//! Hidden checks for `05_async/race_and_timeout`.
//!
//! The requests handed to the learner are made by the check: each is a span on a row of its
//! own from its first poll until it ends or is dropped, waits a latency drawn per run
//! (`Inputs`), notes when it ran to its end, and answers a text with a token only this run
//! knows (`Inputs::salt`), so no answer can be made up. A dropped (cancelled) request closes
//! its span when dropped but never reaches its end. Every call goes through `call_async`, and
//! the checks judge when the learner's function returned against what the requests did:
//!
//! - `a_quick_answer_is_returned`: a request much quicker than its limit gives `Ok(its
//!   answer)`, ran to its end inside the call, and the call returned soon after it, long
//!   before the limit. Bitten by `join_timer` (awaits the request and a `sleep(limit)`
//!   together, so every answer waits for the limit).
//! - `a_slow_request_times_out_on_time`: two requests far slower than their limits, one with
//!   a short limit and one with a long one (so no fixed limit fits both): `Err(TimedOut)`, no
//!   earlier than the limit and not much later, and the request was started, cut short and
//!   dropped before the call returned. Bitten by `checked_after` (looks at the clock once the
//!   answer is in), `join_timer` (waits for the answer too) and `fixed_limit` (a time limit
//!   of its own instead of `limit`).
//! - `the_faster_mirror_wins`: run twice, once with A faster and once with B (in a random
//!   order): the faster mirror's answer, both mirrors waiting at the same time, returned soon
//!   after the faster one answered, long before the slower one. Bitten by `join_both`
//!   (awaits both, then keeps the earlier answer) and `always_a` (awaits A alone).
//! - `the_slower_mirror_is_dropped_unfinished`: in both orders, the slower mirror was
//!   started, cut short and dropped before the call returned, and never ran to its end.
//!   Bitten by `join_both` and `always_a` (never starts B).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use concur_kit::call::{call_async, Called};
use concur_kit::check::{assert_each_once, assert_inside, assert_peak_overlap_at_least};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::{now_us, Trace};

use crate::exercise::{fastest_mirror, fetch_within, TimedOut};

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);
/// How late a timer may fire on a busy machine (a thread waiting for a core on a loaded
/// 2-core machine: 300 ms at worst seen), never by this much. The two limits of the timeout
/// check are drawn further apart than this, so no fixed limit passes both.
const LATE: Duration = Duration::from_millis(350);

type Request = Pin<Box<dyn Future<Output = String> + Send>>;

/// The requests of one run: their spans, and when each ran to its end.
#[derive(Clone, Default)]
struct Log {
    trace: Trace,
    finished: Arc<Mutex<Vec<(String, u64)>>>,
}

impl Log {
    /// A request labelled `label` that answers `answer` after `latency`.
    fn request(&self, label: &str, latency: Duration, answer: &str) -> Request {
        let log = self.clone();
        let label = label.to_string();
        let answer = answer.to_string();
        Box::pin(async move {
            let _row = Row::open(&log.trace, &label);
            tokio::time::sleep(latency).await;
            log.finished.lock().unwrap_or_else(|e| e.into_inner()).push((label, now_us()));
            answer
        })
    }

    /// When the request labelled `label` ran to its end, if it did.
    fn finished_at(&self, label: &str) -> Option<u64> {
        let finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        finished.iter().find(|(l, _)| l == label).map(|&(_, at)| at)
    }
}

/// An answer only this run knows, for the request labelled `label`.
fn answer(inputs: &mut Inputs, label: &str) -> String {
    let id = inputs.between(1, 999_999);
    format!("200 OK from {label}: page {id}, etag {:016x}", inputs.salt(id))
}

/// A request label only this run knows.
fn label(inputs: &mut Inputs, what: &str) -> String {
    format!("{what} #{}", inputs.between(100, 999))
}

/// Halfway between `early` and `late`.
fn halfway(early: Duration, late: Duration) -> Duration {
    early + late.saturating_sub(early) / 2
}

/// The span of `label`, which must be there: the request was polled at least once.
#[track_caller]
fn started(log: &Log, label: &str, function: &str) -> concur_kit::trace::Span {
    match log.trace.spans().into_iter().find(|s| s.label == label) {
        Some(span) => span,
        None => panic!(
            "{function} never started the request {label:?}: a future does nothing until it \
             is polled, so both must be awaited at the same time (in a select! or a timeout), \
             not one of them alone.{}",
            picture(&log.trace, "requests")
        ),
    }
}

/// The request `label` (of `latency`) was dropped unfinished before `called` returned: its
/// span ended inside the call, shorter than its latency, and it never reached its end.
#[track_caller]
fn assert_dropped_unfinished<T>(
    log: &Log,
    label: &str,
    latency: Duration,
    called: &Called<T>,
    function: &str,
) {
    let span = started(log, label, function);
    if let Some(at) = log.finished_at(label) {
        let when = if at <= called.end_us { "before" } else { "after" };
        panic!(
            "the request {label:?} (of {}) ran to its end, {} {when} {function} returned \
             (which was after {}): the request that lost must be dropped, which cancels it, \
             not awaited to its end.{}",
            fmt_duration(latency),
            fmt_duration(Duration::from_micros(at.abs_diff(called.end_us))),
            fmt_duration(called.elapsed()),
            picture(&log.trace, "requests")
        );
    }
    if span.end_us > called.end_us {
        panic!(
            "the request {label:?} (of {}) was still open {} after {function} returned: it must \
             be dropped before {function} returns.{}",
            fmt_duration(latency),
            fmt_duration(Duration::from_micros(span.end_us - called.end_us)),
            picture(&log.trace, "requests")
        );
    }
    if span.duration() >= latency {
        panic!(
            "the request {label:?} (of {}) was open for {} before it was dropped: it was not \
             cut short.{}",
            fmt_duration(latency),
            fmt_duration(span.duration()),
            picture(&log.trace, "requests")
        );
    }
}

#[test]
async fn a_quick_answer_is_returned() {
    let mut inputs = Inputs::new();
    let latency = Duration::from_millis(inputs.between(30, 80));
    let limit = Duration::from_millis(inputs.between(1200, 1500));
    let log = Log::default();
    let label = label(&mut inputs, "request");
    let want = answer(&mut inputs, &label);
    let what = format!(
        "fetch_within(a request answering after {}, limit {})",
        fmt_duration(latency),
        fmt_duration(limit)
    );
    let request = log.request(&label, latency, &want);
    let called = call_async(&what, DEADLINE, fetch_within(request, limit)).await;
    assert_eq!(
        called.value,
        Ok(want.clone()),
        "{what} must give Ok(the request's answer) (left: what it returned, right: what the \
         request answered)"
    );
    assert_each_once(&log.trace, &[label.clone()], "requests");
    assert_inside(&log.trace, &called, "requests", "fetch_within");
    let bound = halfway(latency, limit);
    if called.elapsed() >= bound {
        panic!(
            "{what} returned its answer after {}: the answer was in after {}, yet it came back \
             only near the limit. The limit must end the wait only when the answer is late; \
             awaiting the request and a sleep(limit) together waits for both.{}",
            fmt_duration(called.elapsed()),
            fmt_duration(latency),
            picture(&log.trace, "requests")
        );
    }
}

#[test]
async fn a_slow_request_times_out_on_time() {
    let mut inputs = Inputs::new();
    // A short and a long limit, further apart than LATE, in a random order.
    let mut limits = [inputs.between(80, 140), inputs.between(560, 680)].map(Duration::from_millis);
    inputs.shuffle(&mut limits);
    for limit in limits {
        let latency = Duration::from_millis(inputs.between(1500, 1800));
        let log = Log::default();
        let label = label(&mut inputs, "slow request");
        let want = answer(&mut inputs, &label);
        let what = format!(
            "fetch_within(a request answering after {}, limit {})",
            fmt_duration(latency),
            fmt_duration(limit)
        );
        let request = log.request(&label, latency, &want);
        let called = call_async(&what, DEADLINE, fetch_within(request, limit)).await;
        let took = called.elapsed();
        if took > limit + LATE {
            panic!(
                "{what} returned {:?} after {}: the limit did not end the wait when it \
                 passed. {}{}",
                called.value,
                fmt_duration(took),
                if took >= latency {
                    "It waited for the answer anyway: the clock must be raced against the \
                     request (select! or timeout), not looked at afterwards."
                } else {
                    "Is it waiting for a time of its own instead of `limit`?"
                },
                picture(&log.trace, "requests")
            );
        }
        // Timers never fire early; the margin only absorbs clock rounding.
        if took + Duration::from_millis(2) < limit {
            panic!(
                "{what} returned {:?} after only {}, before the limit had passed. Is it \
                 waiting for a time of its own instead of `limit`?{}",
                called.value,
                fmt_duration(took),
                picture(&log.trace, "requests")
            );
        }
        assert_eq!(
            called.value,
            Err(TimedOut),
            "{what} must give Err(TimedOut) once the limit has passed (left: what it returned)"
        );
        assert_each_once(&log.trace, &[label.clone()], "requests");
        assert_dropped_unfinished(&log, &label, latency, &called, "fetch_within");
    }
}

/// One race of the mirrors: which one is faster, and what came of it.
struct Race {
    log: Log,
    called: Called<String>,
    fast: (String, Duration, String),
    slow: (String, Duration),
    what: String,
}

/// Races the mirrors with A faster (`a_faster`) or B faster.
async fn race(inputs: &mut Inputs, a_faster: bool) -> Race {
    let fast = Duration::from_millis(inputs.between(30, 80));
    let slow = Duration::from_millis(inputs.between(800, 1000));
    let (latency_a, latency_b) = if a_faster { (fast, slow) } else { (slow, fast) };
    let (label_a, label_b) = (label(inputs, "mirror A"), label(inputs, "mirror B"));
    let (answer_a, answer_b) = (answer(inputs, &label_a), answer(inputs, &label_b));
    let log = Log::default();
    let what = format!(
        "fastest_mirror(A answering after {}, B after {})",
        fmt_duration(latency_a),
        fmt_duration(latency_b)
    );
    let called = call_async(
        &what,
        DEADLINE,
        fastest_mirror(
            log.request(&label_a, latency_a, &answer_a),
            log.request(&label_b, latency_b, &answer_b),
        ),
    )
    .await;
    let (fast, slow) = if a_faster {
        ((label_a, fast, answer_a), (label_b, slow))
    } else {
        ((label_b, fast, answer_b), (label_a, slow))
    };
    Race { log, called, fast, slow, what }
}

/// Both orders, the first drawn.
fn orders(inputs: &mut Inputs) -> [bool; 2] {
    let first = *inputs.pick(&[true, false]);
    [first, !first]
}

#[test]
async fn the_faster_mirror_wins() {
    let mut inputs = Inputs::new();
    for a_faster in orders(&mut inputs) {
        let Race { log, called, fast, slow, what } = race(&mut inputs, a_faster).await;
        let (fast_label, fast_latency, fast_answer) = fast;
        assert_eq!(
            called.value, fast_answer,
            "{what} must return the answer of {fast_label:?}, which answered first (left: what \
             it returned, right: that answer)"
        );
        started(&log, &fast_label, "fastest_mirror");
        started(&log, &slow.0, "fastest_mirror");
        assert_peak_overlap_at_least(&log.trace, 2, "mirror requests");
        let bound = halfway(fast_latency, slow.1);
        if called.elapsed() >= bound {
            panic!(
                "{what} returned the answer of {fast_label:?} after {}, but it was in after {}: \
                 it waited for the slower mirror too. Race them (select!) and return as soon as \
                 the first one answers.{}",
                fmt_duration(called.elapsed()),
                fmt_duration(fast_latency),
                picture(&log.trace, "requests")
            );
        }
    }
}

#[test]
async fn the_slower_mirror_is_dropped_unfinished() {
    let mut inputs = Inputs::new();
    for a_faster in orders(&mut inputs) {
        let Race { log, called, fast, slow, what } = race(&mut inputs, a_faster).await;
        assert_eq!(
            called.value, fast.2,
            "{what} must return the answer of {:?}, which answered first",
            fast.0
        );
        assert_dropped_unfinished(&log, &slow.0, slow.1, &called, "fastest_mirror");
        assert_each_once(&log.trace, &[fast.0.clone(), slow.0.clone()], "mirror requests");
    }
}
