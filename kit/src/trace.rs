//! The trace: what ran, when, on which thread and in which process.
//!
//! The kit records [`Span`]s (a label, start and end, thread, pid) into a [`Trace`]: a check's own
//! closures with [`Trace::span`] / [`Trace::record`], and the learner-facing workloads through the
//! check's [`Bench`](crate::bench::Bench). Checks then ask the trace for facts — peak overlap,
//! distinct threads, distinct pids, wall time — instead of racing the clock. Times are
//! microseconds on this process's monotonic clock ([`now_us`]): it cannot be set back or forward,
//! and spans from child processes are timed by the check's process when they arrive (see
//! `witness.rs`), so every span of a trace is on one clock.
//!
//! A `Trace` belongs to the check that made it: there is no process-wide trace learner code could
//! add made-up spans to.
//!
//! In: spans from [`Trace::span`], [`Trace::record`], [`Trace::push`] (check side only).
//! Out: sorted spans, numbers about them, and the timeline picture (see `timeline.rs`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// One unit of work: when it started and ended, and where it ran.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Span {
    /// What the work was, e.g. `slow_square(3)` or `/users/3`.
    pub label: String,
    /// Start, in microseconds on the recording process's clock ([`now_us`]).
    pub start_us: u64,
    /// End, on the same clock (never before `start_us`).
    pub end_us: u64,
    /// The thread that did the work (`ThreadId(N)` for real threads; any name otherwise).
    pub thread: String,
    /// The process that did the work: this one, or a child whose pid the kernel reported.
    pub pid: u32,
    /// CPU time the working thread used during the span, where the kit measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_us: Option<u64>,
}

impl Span {
    /// A span without a CPU measurement.
    pub fn new(
        label: impl Into<String>,
        start_us: u64,
        end_us: u64,
        thread: impl Into<String>,
        pid: u32,
    ) -> Span {
        Span {
            label: label.into(),
            start_us,
            end_us: end_us.max(start_us),
            thread: thread.into(),
            pid,
            cpu_us: None,
        }
    }

    /// How long the span lasted.
    pub fn duration(&self) -> Duration {
        Duration::from_micros(self.end_us.saturating_sub(self.start_us))
    }
}

/// A shared, append-only list of spans. Cloning a `Trace` shares it.
#[derive(Clone, Default)]
pub struct Trace {
    spans: Arc<Mutex<Vec<Span>>>,
}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trace").field("spans", &self.len()).finish()
    }
}

impl Trace {
    /// The shared list itself, so a bench can tell whether it is the one in force.
    pub(crate) fn shared(&self) -> &Arc<Mutex<Vec<Span>>> {
        &self.spans
    }
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Trace {
        Trace::default()
    }

    /// A trace holding exactly these spans.
    pub fn from_spans(spans: Vec<Span>) -> Trace {
        Trace {
            spans: Arc::new(Mutex::new(spans)),
        }
    }

    /// Start a span now, on the current thread; it is recorded when the guard is dropped.
    pub fn span(&self, label: impl Into<String>) -> SpanGuard {
        SpanGuard {
            trace: self.clone(),
            label: label.into(),
            start_us: now_us(),
            thread: current_thread(),
        }
    }

    /// Run `f` inside a span labelled `label`.
    pub fn record<T>(&self, label: impl Into<String>, f: impl FnOnce() -> T) -> T {
        let _guard = self.span(label);
        f()
    }

    /// Add a finished span.
    pub fn push(&self, span: Span) {
        self.lock().push(span);
    }

    /// All spans, sorted by start (then end).
    pub fn spans(&self) -> Vec<Span> {
        let mut spans = self.lock().clone();
        spans.sort_by_key(|s| (s.start_us, s.end_us));
        spans
    }

    /// Number of spans recorded.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Forget every span.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Move every span out into a new trace, leaving this one empty.
    pub fn take(&self) -> Trace {
        Trace::from_spans(std::mem::take(&mut *self.lock()))
    }

    /// The largest number of spans open at one instant. A span ending exactly when another
    /// starts does not overlap it; a zero-length span still counts as one.
    pub fn peak_overlap(&self) -> usize {
        peak_overlap(&self.spans())
    }

    /// Number of distinct `(pid, thread)` pairs that did work.
    pub fn distinct_threads(&self) -> usize {
        let spans = self.lock();
        spans
            .iter()
            .map(|s| (s.pid, s.thread.as_str()))
            .collect::<HashSet<_>>()
            .len()
    }

    /// Number of distinct processes that did work.
    pub fn distinct_pids(&self) -> usize {
        let spans = self.lock();
        spans.iter().map(|s| s.pid).collect::<HashSet<_>>().len()
    }

    /// The spans' durations added up: what the work took one span after another, as this run
    /// measured it. On a busy machine every sleep lasts a little longer, and so does this.
    pub fn busy(&self) -> Duration {
        self.lock().iter().map(Span::duration).sum()
    }

    /// From the first start to the last end; zero if the trace is empty.
    pub fn wall(&self) -> Duration {
        let spans = self.lock();
        let first = spans.iter().map(|s| s.start_us).min();
        let last = spans.iter().map(|s| s.end_us).max();
        match (first, last) {
            (Some(first), Some(last)) => Duration::from_micros(last.saturating_sub(first)),
            _ => Duration::ZERO,
        }
    }

    /// The ASCII timeline picture of this trace, `width` columns of bars.
    pub fn timeline(&self, width: usize) -> String {
        crate::timeline::render(&self.spans(), width)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Span>> {
        // A learner's thread may panic while holding the guard's drop; the spans are still
        // valid data, so poisoning is ignored.
        self.spans.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `f` inside a span of `trace` labelled `label` after sleeping `d`: simulated work with a
/// known cost, for the closures a check hands to the learner's code.
pub fn traced<T>(trace: &Trace, label: impl Into<String>, d: Duration, f: impl FnOnce() -> T) -> T {
    let _guard = trace.span(label);
    std::thread::sleep(d);
    f()
}

/// Peak overlap of a set of spans (see [`Trace::peak_overlap`]).
pub(crate) fn peak_overlap(spans: &[Span]) -> usize {
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|s| s.start_us);
    let mut open_ends = BinaryHeap::new();
    let mut peak = 0;
    for span in sorted {
        while open_ends
            .peek()
            .is_some_and(|Reverse(end)| *end <= span.start_us)
        {
            open_ends.pop();
        }
        open_ends.push(Reverse(span.end_us.max(span.start_us)));
        peak = peak.max(open_ends.len());
    }
    peak
}

/// An open span; dropping it records the span. It is `Send`, so it may be dropped on another
/// thread (the thread recorded is the one that opened it).
#[must_use = "the span ends when this guard is dropped"]
pub struct SpanGuard {
    trace: Trace,
    label: String,
    start_us: u64,
    thread: String,
}

impl Drop for SpanGuard {
    fn drop(&mut self) {
        let span = Span::new(
            std::mem::take(&mut self.label),
            self.start_us,
            now_us(),
            std::mem::take(&mut self.thread),
            std::process::id(),
        );
        self.trace.push(span);
    }
}

/// Microseconds on this process's monotonic clock, counted from the first time the kit read it.
pub fn now_us() -> u64 {
    us_at(Instant::now())
}

/// The instant `at` on the clock of [`now_us`].
pub fn us_at(at: Instant) -> u64 {
    static ORIGIN: LazyLock<Instant> = LazyLock::new(Instant::now);
    u64::try_from(at.saturating_duration_since(*ORIGIN).as_micros()).unwrap_or(u64::MAX)
}

pub(crate) fn current_thread() -> String {
    format!("{:?}", std::thread::current().id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_us: u64, end_us: u64, thread: &str, pid: u32) -> Span {
        Span::new(
            format!("{start_us}..{end_us}"),
            start_us,
            end_us,
            thread,
            pid,
        )
    }

    #[test]
    fn touching_spans_do_not_overlap() {
        let t = Trace::from_spans(vec![span(0, 10, "a", 1), span(10, 20, "a", 1)]);
        assert_eq!(t.peak_overlap(), 1);
    }

    #[test]
    fn nested_and_staggered_spans_overlap() {
        let t = Trace::from_spans(vec![
            span(0, 100, "a", 1),
            span(10, 20, "b", 1),
            span(15, 30, "c", 1),
            span(40, 50, "d", 1),
            span(100, 110, "e", 1),
        ]);
        assert_eq!(t.peak_overlap(), 3);
    }

    #[test]
    fn busy_adds_up_overlapping_spans_and_wall_does_not() {
        let t = Trace::from_spans(vec![span(0, 100, "a", 1), span(50, 150, "b", 1)]);
        assert_eq!(t.busy(), Duration::from_micros(200));
        assert_eq!(t.wall(), Duration::from_micros(150));
        assert_eq!(Trace::new().busy(), Duration::ZERO);
    }

    #[test]
    fn empty_and_zero_length() {
        assert_eq!(Trace::new().peak_overlap(), 0);
        assert_eq!(Trace::new().wall(), Duration::ZERO);
        let t = Trace::from_spans(vec![span(5, 5, "a", 1)]);
        assert_eq!(t.peak_overlap(), 1);
    }

    #[test]
    fn distinct_threads_count_pid_thread_pairs() {
        let t = Trace::from_spans(vec![
            span(0, 1, "ThreadId(1)", 10),
            span(0, 1, "ThreadId(1)", 11),
            span(0, 1, "ThreadId(2)", 11),
            span(2, 3, "ThreadId(2)", 11),
        ]);
        assert_eq!(t.distinct_threads(), 3);
        assert_eq!(t.distinct_pids(), 2);
        assert_eq!(t.wall(), Duration::from_micros(3));
    }

    #[test]
    fn spans_are_sorted_and_take_empties() {
        let t = Trace::new();
        t.push(span(20, 30, "a", 1));
        t.push(span(0, 5, "a", 1));
        let starts: Vec<u64> = t.spans().iter().map(|s| s.start_us).collect();
        assert_eq!(starts, [0, 20]);
        let taken = t.take();
        assert!(t.is_empty());
        assert_eq!(taken.len(), 2);
    }

    #[test]
    fn guard_records_on_drop_even_on_another_thread() {
        let t = Trace::new();
        let guard = t.span("moved");
        assert!(t.is_empty());
        std::thread::spawn(move || drop(guard))
            .join()
            .expect("thread dropping the guard");
        let spans = t.spans();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].label, "moved");
        assert_eq!(spans[0].thread, current_thread());
        assert_eq!(spans[0].pid, std::process::id());
        assert!(spans[0].end_us >= spans[0].start_us);
    }

    #[test]
    fn record_returns_the_value() {
        let t = Trace::new();
        assert_eq!(t.record("x", || 7), 7);
        assert_eq!(t.len(), 1);
    }
}
