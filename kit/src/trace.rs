//! The trace: what ran, when, on which thread and in which process.
//!
//! Workloads and checks record [`Span`]s (a label, start and end in microseconds since the UNIX
//! epoch, thread, pid) into a [`Trace`]; checks then ask the trace for facts — peak overlap,
//! distinct threads, distinct pids, wall time — instead of racing the clock. Wall-clock (not
//! monotonic) timestamps are used on purpose: spans written by several processes into one trace
//! file (see [`TRACE_FILE_ENV`]) must be comparable, and a monotonic clock is per-process.
//!
//! In: spans from [`Trace::span`], [`Trace::record`], [`Trace::push`] or a trace file.
//! Out: sorted spans, numbers about them, and the timeline picture (see `timeline.rs`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Environment variable naming a file that workloads also append their spans to, one JSON
/// line per span, so a check can see work done inside the learner's child processes.
pub const TRACE_FILE_ENV: &str = "CONCUR_TRACE_FILE";

/// One unit of work: when it started and ended, and where it ran.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Span {
    /// What the work was, e.g. `slow_square(3)` or `/users/3`.
    pub label: String,
    /// Start, in microseconds since `UNIX_EPOCH`.
    pub start_us: u64,
    /// End, in microseconds since `UNIX_EPOCH` (never before `start_us`).
    pub end_us: u64,
    /// The thread that did the work (`ThreadId(N)` for real threads; any name otherwise).
    pub thread: String,
    /// The process that did the work.
    pub pid: u32,
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
            also_to_file: false,
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

    /// Forget every span (e.g. before a check starts using [`global`]).
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

    /// Read a JSON-lines trace file (one [`Span`] per line). Blank or garbled lines are
    /// skipped: a process killed mid-write must not hide everyone else's spans. A missing file
    /// is an empty trace — no workload ran, which is for the check to judge.
    pub fn load(path: &Path) -> io::Result<Trace> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Trace::new()),
            Err(e) => return Err(e),
        };
        let spans = text
            .lines()
            .filter_map(|line| serde_json::from_str::<Span>(line.trim()).ok())
            .collect();
        Ok(Trace::from_spans(spans))
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
    also_to_file: bool,
}

impl SpanGuard {
    /// Also append the span to the file named by [`TRACE_FILE_ENV`], if that is set.
    pub(crate) fn also_to_trace_file(mut self) -> SpanGuard {
        self.also_to_file = true;
        self
    }
}

impl Drop for SpanGuard {
    fn drop(&mut self) {
        let span = Span {
            label: std::mem::take(&mut self.label),
            start_us: self.start_us,
            end_us: now_us().max(self.start_us),
            thread: std::mem::take(&mut self.thread),
            pid: std::process::id(),
        };
        if self.also_to_file {
            if let Some(path) = std::env::var_os(TRACE_FILE_ENV) {
                // A lost line shows up as missing work in the check, which says so; failing
                // the learner's program because of our trace file would be worse.
                let _ = append_span(Path::new(&path), &span);
            }
        }
        self.trace.push(span);
    }
}

/// Append one span to a JSON-lines trace file as a single `write()` on a file opened with
/// `O_APPEND`, so lines written by many threads and processes never interleave.
pub fn append_span(path: &Path, span: &Span) -> io::Result<()> {
    let mut line = serde_json::to_vec(span).map_err(io::Error::other)?;
    line.push(b'\n');
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    let written = file.write(&line)?;
    if written != line.len() {
        return Err(io::Error::new(
            io::ErrorKind::WriteZero,
            format!(
                "short write to trace file: {written} of {} bytes",
                line.len()
            ),
        ));
    }
    Ok(())
}

/// The process-wide trace the workloads in [`crate::workload`] record into.
pub fn global() -> &'static Trace {
    static GLOBAL: OnceLock<Trace> = OnceLock::new();
    GLOBAL.get_or_init(Trace::new)
}

/// Microseconds since `UNIX_EPOCH`, comparable across processes.
pub fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn current_thread() -> String {
    format!("{:?}", std::thread::current().id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_us: u64, end_us: u64, thread: &str, pid: u32) -> Span {
        Span {
            label: format!("{start_us}..{end_us}"),
            start_us,
            end_us,
            thread: thread.to_string(),
            pid,
        }
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
