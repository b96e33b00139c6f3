//! The check's bench: where the learner-facing workloads record the work they really did.
//!
//! A check that hands the learner a workload from [`crate::workload`] starts a [`Bench`] first.
//! While it lives, every workload call in this process records one span into it — timed by the
//! kit on its monotonic clock, on the thread that really ran it — and, with
//! [`Bench::with_children`], every workload call in the learner's child processes reaches it
//! through the witness socket, with the pid the kernel reports for the caller. Learner code can
//! add a span only by doing the work: the bench itself is check-side (learner files may name
//! only `concur_kit::workload`), and there is no trace file or global trace to write into.
//!
//! In: workload calls. Out: [`Bench::trace`], every span recorded so far.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::trace::{now_us, Span, Trace};
use crate::witness;

/// The bench workloads record into, while a check holds one.
static CURRENT: Mutex<Option<Trace>> = Mutex::new(None);

/// How the check set the workloads up: latencies, and which calls are marked (a faulty part,
/// a missing page). Reset with every new bench.
#[derive(Default)]
struct Knobs {
    latency: HashMap<String, Duration>,
    marked: HashMap<String, BTreeSet<u64>>,
}

static KNOBS: Mutex<Option<Knobs>> = Mutex::new(None);

fn current_slot() -> MutexGuard<'static, Option<Trace>> {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner())
}

fn knobs() -> MutexGuard<'static, Option<Knobs>> {
    KNOBS.lock().unwrap_or_else(|e| e.into_inner())
}

/// The trace of the bench in force, if a check started one.
pub(crate) fn current() -> Option<Trace> {
    current_slot().clone()
}

/// The latency the check set for `workload`, if it set one.
pub(crate) fn latency(workload: &str) -> Option<Duration> {
    knobs().as_ref()?.latency.get(workload).copied()
}

/// Whether the check marked call `id` of `workload`; `None` when it marked none of them.
pub(crate) fn marked(workload: &str, id: u64) -> Option<bool> {
    knobs()
        .as_ref()?
        .marked
        .get(workload)
        .map(|ids| ids.contains(&id))
}

/// A check's record of the workloads the learner's code ran. Dropping it stops recording.
pub struct Bench {
    trace: Trace,
    witness: Option<witness::Server>,
}

impl Bench {
    /// Starts recording every workload call in this process (replacing any earlier bench).
    pub fn start() -> Bench {
        let trace = Trace::new();
        *current_slot() = Some(trace.clone());
        *knobs() = Some(Knobs::default());
        Bench {
            trace,
            witness: None,
        }
    }

    /// Also records the workloads run by child processes: they report to a socket this bench
    /// listens on (named in [`witness::SOCKET_ENV`], which children inherit), and each span
    /// carries the pid the kernel gives for the connecting process.
    ///
    /// # Panics
    ///
    /// When the socket cannot be created: the check cannot see its workers without it.
    #[must_use]
    pub fn with_children(mut self) -> Bench {
        let server = witness::Server::start(self.trace.clone())
            .unwrap_or_else(|e| panic!("the check could not open its witness socket: {e}"));
        self.witness = Some(server);
        self
    }

    /// Makes every call of `workload` (e.g. `"make coffee"`) take `latency` instead of its
    /// default, so the learner cannot know the cost in advance.
    pub fn set_latency(&self, workload: &str, latency: Duration) {
        if let Some(knobs) = knobs().as_mut() {
            knobs.latency.insert(workload.to_string(), latency);
        }
    }

    /// Marks the calls `ids` of `workload` (which parts `inspect` finds faulty, which pages
    /// `serve_page` does not find): only these, instead of the workload's default rule.
    pub fn mark(&self, workload: &str, ids: impl IntoIterator<Item = u64>) {
        if let Some(knobs) = knobs().as_mut() {
            knobs
                .marked
                .insert(workload.to_string(), ids.into_iter().collect());
        }
    }

    /// Every span recorded so far, as a trace of its own (later work does not change it).
    pub fn trace(&self) -> Trace {
        Trace::from_spans(self.trace.spans())
    }

    /// The bench's own trace, shared: spans recorded later show up in it too.
    pub fn live(&self) -> Trace {
        self.trace.clone()
    }

    /// The spans recorded so far, sorted by start.
    pub fn spans(&self) -> Vec<Span> {
        self.trace.spans()
    }

    /// Forgets every span recorded so far.
    pub fn clear(&self) {
        self.trace.clear();
    }

    /// Now, on the clock the spans are timed with.
    pub fn now_us(&self) -> u64 {
        now_us()
    }

    /// Waits up to `patience` until at least `count` spans are recorded (work still running
    /// when the learner's function returned); returns the trace at that point.
    pub fn settle(&self, count: usize, patience: Duration) -> Trace {
        let deadline = std::time::Instant::now() + patience;
        while self.trace.len() < count && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.trace()
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        let mut slot = current_slot();
        if slot
            .as_ref()
            .is_some_and(|t| Arc::ptr_eq(t.shared(), self.trace.shared()))
        {
            *slot = None;
            *knobs() = None;
        }
    }
}
