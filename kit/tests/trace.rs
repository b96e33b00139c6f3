//! Traces from real threads, and the checks built on them: each check must pass on
//! concurrent work and bite on sequential work, saying what it saw.

use std::panic::catch_unwind;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::{
    assert_all_once, assert_distinct_pids_at_least, assert_distinct_threads_at_least,
    assert_peak_overlap_at_least, assert_peak_overlap_at_most, assert_wall_below, Trace,
};

const WORK: Duration = Duration::from_millis(100);

fn four_threads(trace: &Trace) {
    thread::scope(|s| {
        for i in 0..4 {
            s.spawn(move || trace.record(format!("job {i}"), || thread::sleep(WORK)));
        }
    });
}

fn four_in_a_row(trace: &Trace) {
    for i in 0..4 {
        trace.record(format!("job {i}"), || thread::sleep(WORK));
    }
}

fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = catch_unwind(f).expect_err("the check should have failed");
    match err.downcast::<String>() {
        Ok(s) => *s,
        Err(err) => err
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .expect("string panic payload"),
    }
}

#[test]
fn four_threads_overlap_fully() {
    let trace = Trace::new();
    let started = Instant::now();
    four_threads(&trace);
    let elapsed = started.elapsed();
    assert_eq!(trace.len(), 4);
    assert_eq!(trace.peak_overlap(), 4);
    assert_eq!(trace.distinct_threads(), 4);
    assert_eq!(trace.distinct_pids(), 1);
    assert!(trace.wall() >= WORK);
    assert_peak_overlap_at_least(&trace, 4, "jobs");
    assert_peak_overlap_at_most(&trace, 4, "jobs");
    assert_distinct_threads_at_least(&trace, 4, "jobs");
    assert_distinct_pids_at_least(&trace, 1, "jobs");
    assert_wall_below(elapsed, WORK * 3, WORK * 4, "the 4 jobs");
    let picture = trace.timeline(40);
    assert_eq!(picture.lines().count(), 5, "{picture}");
}

#[test]
fn sequential_work_never_overlaps_and_checks_bite() {
    let trace = Trace::new();
    let started = Instant::now();
    four_in_a_row(&trace);
    let elapsed = started.elapsed();
    assert_eq!(trace.peak_overlap(), 1);
    assert_eq!(trace.distinct_threads(), 1);
    assert!(trace.wall() >= WORK * 4);

    let message = panic_message(|| assert_peak_overlap_at_least(&trace, 4, "jobs"));
    assert!(
        message.starts_with(
            "at most 1 of the 4 jobs ran at the same time (peak overlap 1); expected at least 4"
        ),
        "{message}"
    );
    assert!(message.contains("timeline:\nthread 1 |"), "{message}");

    let message = panic_message(|| assert_distinct_threads_at_least(&trace, 2, "jobs"));
    assert!(
        message.contains("ran on only 1 distinct thread(s); expected at least 2"),
        "{message}"
    );

    let message = panic_message(|| assert_distinct_pids_at_least(&trace, 3, "jobs"));
    assert!(
        message.contains("ran in only 1 distinct process(es); expected at least 3"),
        "{message}"
    );

    let message = panic_message(|| assert_wall_below(elapsed, WORK * 3, WORK * 4, "the 4 jobs"));
    assert!(message.starts_with("the 4 jobs took 4"), "{message}");
    assert!(
        message.contains("within 300 ms — doing the work one at a time takes 400 ms"),
        "{message}"
    );
}

#[test]
fn overlap_above_a_limit_is_reported() {
    let trace = Trace::new();
    four_threads(&trace);
    let message = panic_message(|| assert_peak_overlap_at_most(&trace, 2, "downloads"));
    assert!(
        message.starts_with(
            "4 of the 4 downloads ran at the same time (peak overlap 4); the limit is 2"
        ),
        "{message}"
    );
}

#[test]
fn an_empty_trace_says_nothing_ran() {
    let message = panic_message(|| assert_peak_overlap_at_least(&Trace::new(), 2, "jobs"));
    assert!(
        message.starts_with("no jobs were recorded at all"),
        "{message}"
    );
}

#[test]
fn all_once_names_missing_duplicated_and_unexpected() {
    assert_all_once(&[3, 1, 2], &[1, 2, 3], "results");
    let message = panic_message(|| assert_all_once(&[1, 1, 2, 9], &[1, 2, 3, 4], "results"));
    assert_eq!(
        message,
        "results: missing [3, 4]; duplicated [1]; unexpected [9] (got 4 items, expected 4) — \
         every item must be handled exactly once"
    );
}
