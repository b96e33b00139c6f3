//! Hidden checks for `05_async/await_points`.
//!
//! Each request is wrapped in a span that is open while the learner's `get` is being awaited,
//! one timeline row per request. `#[test]` runs on a current_thread runtime: one thread
//! for every task, so requests only overlap if `get` steps aside at an await point, and a
//! blocking sleep shows as a staircase. `tests/variants/05_async/` holds a blocking `get` and
//! one that never awaits its sleep.

use std::time::{Duration, Instant};

use concur_kit::check::TIMELINE_WIDTH;
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::{now_us, Span, Trace};

use crate::exercise::get;

const LATENCY: Duration = Duration::from_millis(200);
const PATHS: [&str; 5] = ["/a", "/b", "/c", "/d", "/e"];

#[test]
async fn get_answers_with_the_path() {
    let answer = get("/users/7", Duration::from_millis(10)).await;
    assert_eq!(
        answer, "200 OK /users/7",
        "get(\"/users/7\", 10 ms) must answer \"200 OK /users/7\"; it answered {answer:?}"
    );
}

#[test]
async fn get_waits_for_the_latency() {
    let latency = Duration::from_millis(150);
    let started = Instant::now();
    get("/slow", latency).await;
    let took = started.elapsed();
    // Timers never fire early; the margin only absorbs clock rounding.
    assert!(
        took + Duration::from_millis(5) >= latency,
        "get(\"/slow\", 150 ms) answered after {}, before the server could have \
         answered. A future does nothing until it is awaited: a sleep that is created but \
         never `.await`ed does not wait at all.",
        concur_kit::timeline::fmt_duration(took)
    );
}

#[test]
async fn requests_wait_together_on_one_thread() {
    let trace = Trace::new();
    let tasks: Vec<_> = PATHS
        .iter()
        .map(|&path| {
            let trace = trace.clone();
            tokio::spawn(async move {
                let _row = Row::on(&trace, &format!("request {path}"), path);
                get(path, LATENCY).await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a request task panicked");
    }
    let peak = trace.peak_overlap();
    let wanted = PATHS.len();
    if peak >= wanted {
        return;
    }
    let longest = trace.spans().iter().map(|s| s.end_us - s.start_us).max().unwrap_or(0);
    let longest = Duration::from_micros(longest);
    let pic = picture(&trace, "requests");
    if longest < LATENCY / 2 {
        panic!(
            "the {wanted} requests of {LATENCY:?} each took no time at all (the longest \
             {longest:?}): get answered without waiting for the server. Is the sleep awaited?{pic}"
        );
    }
    if peak == 1 {
        panic!(
            "the {wanted} requests ran one after another on the runtime's single thread: peak \
             overlap 1, expected {wanted}. While get waits, it keeps the thread to itself, so \
             no other task can run; only an `.await` lets another task in.{pic}"
        );
    }
    panic!("only {peak} of the {wanted} requests waited at the same time, expected all {wanted}.{pic}");
}
