//! Assertions for hidden checks, with messages that tell the learner what was observed.
//!
//! Each function panics (at the caller's line, via `#[track_caller]`) with the numbers seen, the
//! numbers wanted and a hint; when a trace is involved the message ends with its timeline picture.
//! In: a trace (or durations, or results) and the expectation. Out: nothing, or a panic.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::Duration;

use crate::api::MockApi;
use crate::timeline::fmt_duration;
use crate::trace::Trace;

/// Columns of the timeline picture appended to failure messages.
pub const TIMELINE_WIDTH: usize = 60;

const HINT_CONCURRENT: &str = "is the work really running concurrently, or does each unit wait \
                               for the previous one to finish?";
const HINT_THREADS: &str = "is the work really spread over several threads?";
const HINT_PIDS: &str = "is the work really spread over several processes?";
const HINT_NOTHING: &str = "did your code call the workload it was given?";

/// The picture appended to a failure message; under concur, which draws the published
/// trace below the check itself, nothing.
fn picture(trace: &Trace) -> String {
    if crate::publish::under_concur() {
        return String::new();
    }
    format!("\n\ntimeline:\n{}", trace.timeline(TIMELINE_WIDTH))
}

#[track_caller]
fn fail_if_empty(trace: &Trace, what: &str) {
    if trace.is_empty() {
        panic!("no {what} were recorded at all — {HINT_NOTHING}");
    }
}

/// At least `min` spans of `trace` were open at the same instant.
#[track_caller]
pub fn assert_peak_overlap_at_least(trace: &Trace, min: usize, what: &str) {
    crate::publish::publish(trace, what);
    fail_if_empty(trace, what);
    let peak = trace.peak_overlap();
    if peak < min {
        panic!(
            "at most {peak} of the {n} {what} ran at the same time (peak overlap {peak}); \
             expected at least {min} at once — {HINT_CONCURRENT}{pic}",
            n = trace.len(),
            pic = picture(trace),
        );
    }
}

/// Never more than `max` spans of `trace` open at the same instant (e.g. a bounded pool).
#[track_caller]
pub fn assert_peak_overlap_at_most(trace: &Trace, max: usize, what: &str) {
    crate::publish::publish(trace, what);
    let peak = trace.peak_overlap();
    if peak > max {
        panic!(
            "{peak} of the {n} {what} ran at the same time (peak overlap {peak}); the limit is \
             {max} — is every unit of work really waiting for a free slot?{pic}",
            n = trace.len(),
            pic = picture(trace),
        );
    }
}

/// The spans of `trace` ran on at least `min` distinct `(pid, thread)` pairs.
#[track_caller]
pub fn assert_distinct_threads_at_least(trace: &Trace, min: usize, what: &str) {
    crate::publish::publish(trace, what);
    fail_if_empty(trace, what);
    let threads = trace.distinct_threads();
    if threads < min {
        panic!(
            "the {n} {what} ran on only {threads} distinct thread(s); expected at least {min} — \
             {HINT_THREADS}{pic}",
            n = trace.len(),
            pic = picture(trace),
        );
    }
}

/// The spans of `trace` ran in at least `min` distinct processes.
#[track_caller]
pub fn assert_distinct_pids_at_least(trace: &Trace, min: usize, what: &str) {
    crate::publish::publish(trace, what);
    fail_if_empty(trace, what);
    let pids = trace.distinct_pids();
    if pids < min {
        panic!(
            "the {n} {what} ran in only {pids} distinct process(es); expected at least {min} — \
             {HINT_PIDS}{pic}",
            n = trace.len(),
            pic = picture(trace),
        );
    }
}

/// `elapsed` is under `bound`; `sequential` is what one-at-a-time work would cost, quoted so the
/// learner sees how far off they are. Choose `bound` generously (see DESIGN "Timing checks").
#[track_caller]
pub fn assert_wall_below(elapsed: Duration, bound: Duration, sequential: Duration, what: &str) {
    if elapsed >= bound {
        panic!(
            "{what} took {elapsed}; it must finish within {bound} — doing the work one at a time \
             takes {sequential}, so {HINT_CONCURRENT}",
            elapsed = fmt_duration(elapsed),
            bound = fmt_duration(bound),
            sequential = fmt_duration(sequential),
        );
    }
}

/// `got` holds exactly the items of `expected`, each as often, in any order. The message names
/// missing, duplicated and unexpected items.
#[track_caller]
pub fn assert_all_once<T: Ord + Debug + Clone>(got: &[T], expected: &[T], what: &str) {
    let mut counts: BTreeMap<&T, (usize, usize)> = BTreeMap::new();
    for item in got {
        counts.entry(item).or_default().0 += 1;
    }
    for item in expected {
        counts.entry(item).or_default().1 += 1;
    }
    let (mut missing, mut duplicated, mut unexpected) = (Vec::new(), Vec::new(), Vec::new());
    for (item, (got_n, want_n)) in counts {
        if want_n == 0 {
            unexpected.push(item.clone());
        } else if got_n < want_n {
            missing.push(item.clone());
        } else if got_n > want_n {
            duplicated.push(item.clone());
        }
    }
    if missing.is_empty() && duplicated.is_empty() && unexpected.is_empty() {
        return;
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing {missing:?}"));
    }
    if !duplicated.is_empty() {
        problems.push(format!("duplicated {duplicated:?}"));
    }
    if !unexpected.is_empty() {
        problems.push(format!("unexpected {unexpected:?}"));
    }
    panic!(
        "{what}: {} (got {} items, expected {}) — every item must be handled exactly once",
        problems.join("; "),
        got.len(),
        expected.len(),
    );
}

/// Every span of `trace` lay inside the call: started after it began and ended before it
/// returned. Work left running when the function returned, or done before it was called
/// (precomputed), is not the call's work.
#[track_caller]
pub fn assert_inside<T>(trace: &Trace, call: &crate::call::Called<T>, what: &str, function: &str) {
    let spans = trace.spans();
    let early = spans.iter().filter(|s| s.start_us < call.start_us).count();
    let late = spans.iter().filter(|s| s.end_us > call.end_us).count();
    if late > 0 {
        panic!(
            "{late} of the {n} {what} were still running when {function} returned: it must \
             wait for all of its work before it returns{pic}",
            n = spans.len(),
            pic = picture(trace),
        );
    }
    if early > 0 {
        panic!(
            "{early} of the {n} {what} had started before {function} was called{pic}",
            n = spans.len(),
            pic = picture(trace),
        );
    }
}

/// Every label of `expected` appears on exactly one span of `trace`, and no other label does:
/// each result was made by one unit of the work, and no work was done twice or for nothing.
#[track_caller]
pub fn assert_each_once(trace: &Trace, expected: &[String], what: &str) {
    let labels: Vec<String> = trace.spans().into_iter().map(|s| s.label).collect();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for label in &labels {
        counts.entry(label).or_default().0 += 1;
    }
    for label in expected {
        counts.entry(label).or_default().1 += 1;
    }
    let twice: Vec<&str> = counts
        .iter()
        .filter(|(_, (got, want))| got > want && *want > 0)
        .map(|(l, _)| *l)
        .collect();
    let missing: Vec<&str> = counts
        .iter()
        .filter(|(_, (got, want))| got < want)
        .map(|(l, _)| *l)
        .collect();
    let extra: Vec<&str> = counts
        .iter()
        .filter(|(_, (_, want))| *want == 0)
        .map(|(l, _)| *l)
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("never done: {}", list(&missing)));
    }
    if !twice.is_empty() {
        problems.push(format!("done more than once: {}", list(&twice)));
    }
    if !extra.is_empty() {
        problems.push(format!("not asked for: {}", list(&extra)));
    }
    if !problems.is_empty() {
        panic!(
            "{what}: {} — each one must be done exactly once{}",
            problems.join("; "),
            picture(trace)
        );
    }
}

/// At most the first few items of a list, for a message.
fn list(items: &[&str]) -> String {
    const SHOWN: usize = 6;
    let mut text = items
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

/// The mock API saw at least `min` requests in flight at once.
#[track_caller]
pub fn assert_in_flight_at_least(api: &MockApi, min: usize, what: &str) {
    let trace = api.trace();
    crate::publish::publish(&trace, what);
    fail_if_empty(&trace, what);
    let peak = api.peak_in_flight();
    if peak < min {
        panic!(
            "at most {peak} of the {n} {what} were in flight at the same time; expected at least \
             {min} at once — are the requests really sent concurrently, or is each one awaited \
             before the next starts?{pic}",
            n = trace.len(),
            pic = picture(&trace),
        );
    }
}

/// The mock API never saw more than `max` requests in flight at once.
#[track_caller]
pub fn assert_in_flight_at_most(api: &MockApi, max: usize, what: &str) {
    crate::publish::publish(&api.trace(), what);
    let peak = api.peak_in_flight();
    if peak > max {
        let trace = api.trace();
        panic!(
            "{peak} of the {n} {what} were in flight at the same time; the limit is {max} — is \
             every request really waiting for a permit?{pic}",
            n = trace.len(),
            pic = picture(&trace),
        );
    }
}

/// The message a panic carried (from `JoinHandle::join`, `catch_unwind` or a worker's
/// result), for a check that reports "… panicked: {message}".
pub fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}
