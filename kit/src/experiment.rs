//! Measuring one approach (threads, processes, async) on one workload, for the comparison table
//! concur prints under an experiment exercise.
//!
//! A check starts a [`Stopwatch`], runs the learner's code, and stops it with the trace of the
//! work. Out comes a [`Measurement`]: wall time, CPU time (this process and the children it
//! waited for), peak concurrency from the trace, and the OS threads and child processes that
//! were alive at the busiest moment (sampled from `/proc` every few milliseconds).
//! [`Measurement::publish`] hands it, with the trace, to concur, which gathers every check's
//! measurement into one table and draws the traces on a common time scale. Numbers are shown,
//! never asserted: a busy machine changes them, and the learner interprets them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::trace::{Span, Trace};

/// How often the sampler looks at `/proc` for threads and children.
const SAMPLE_EVERY: Duration = Duration::from_millis(2);

/// One approach on one workload, as measured.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Measurement {
    /// "threads", "processes", "async", …
    pub approach: String,
    /// "I/O-bound", "CPU-bound", …
    pub workload: String,
    pub wall_us: u64,
    /// User + system CPU time of this process and of the children it waited for.
    pub cpu_us: u64,
    /// Most units of work in the trace running at one instant.
    pub peak: usize,
    /// Most OS threads of this process alive at once while running, the caller's included.
    pub threads: usize,
    /// Most child processes alive at once while running (or, when the trace shows more, the
    /// distinct other processes that did work).
    pub processes: usize,
    /// The trace, for the picture.
    pub spans: Vec<Span>,
}

impl Measurement {
    pub fn wall(&self) -> Duration {
        Duration::from_micros(self.wall_us)
    }

    pub fn cpu(&self) -> Duration {
        Duration::from_micros(self.cpu_us)
    }

    /// Hands the measurement to concur (nothing outside concur). Failing to write is ignored:
    /// the table is a courtesy, not a check.
    pub fn publish(&self) {
        crate::harness::send(&crate::harness::Message::Measured(self.clone()));
    }

    /// One line for a failure message or a check run outside concur.
    pub fn summary(&self) -> String {
        use crate::timeline::fmt_duration;
        format!(
            "{} on the {} workload: wall {}, CPU {}, peak {} at once, {} thread{}, {} child process{}",
            self.approach,
            self.workload,
            fmt_duration(self.wall()),
            fmt_duration(self.cpu()),
            self.peak,
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.processes,
            if self.processes == 1 { "" } else { "es" },
        )
    }
}

/// A running measurement: started before the learner's code, stopped after it.
pub struct Stopwatch {
    approach: String,
    workload: String,
    started: Instant,
    cpu_at_start: Duration,
    stop: Arc<AtomicBool>,
    sampler: Option<JoinHandle<(usize, usize)>>,
}

impl Stopwatch {
    /// Starts measuring; threads alive now (the sampler's own included) are the baseline.
    pub fn start(approach: &str, workload: &str) -> Stopwatch {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let baseline = threads_alive().unwrap_or(1);
        let sampler = std::thread::Builder::new()
            .name("concur-kit-sampler".into())
            .spawn(move || {
                // The sampler itself is one more thread than the baseline counted.
                let (mut threads, mut children) = (0usize, 0usize);
                loop {
                    if let Some(now) = threads_alive() {
                        threads = threads.max(now.saturating_sub(baseline + 1));
                    }
                    children = children.max(children_alive());
                    if flag.load(Ordering::Relaxed) {
                        return (threads, children);
                    }
                    std::thread::sleep(SAMPLE_EVERY);
                }
            })
            .ok();
        Stopwatch {
            approach: approach.to_string(),
            workload: workload.to_string(),
            started: Instant::now(),
            cpu_at_start: cpu_used(),
            stop,
            sampler,
        }
    }

    /// Stops measuring; `trace` is the work the learner's code did (its peak and pictures).
    pub fn stop(mut self, trace: &Trace) -> Measurement {
        let wall = self.started.elapsed();
        let cpu = cpu_used().saturating_sub(self.cpu_at_start);
        self.stop.store(true, Ordering::Relaxed);
        let (extra_threads, children) = self
            .sampler
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or((0, 0));
        let me = std::process::id();
        let spans = trace.spans();
        let other_pids = spans
            .iter()
            .map(|s| s.pid)
            .filter(|&p| p != me)
            .collect::<std::collections::HashSet<_>>()
            .len();
        Measurement {
            approach: std::mem::take(&mut self.approach),
            workload: std::mem::take(&mut self.workload),
            wall_us: wall.as_micros() as u64,
            cpu_us: cpu.as_micros() as u64,
            peak: trace.peak_overlap(),
            threads: 1 + extra_threads,
            processes: children.max(other_pids),
            spans,
        }
    }
}

impl Drop for Stopwatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.sampler.take() {
            let _ = h.join();
        }
    }
}

/// User + system time of this process plus its waited-for children.
fn cpu_used() -> Duration {
    let of = |who| {
        // SAFETY: getrusage only writes into the zeroed struct we pass.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut usage) } != 0 {
            return Duration::ZERO;
        }
        let tv = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        tv(usage.ru_utime) + tv(usage.ru_stime)
    };
    of(libc::RUSAGE_SELF) + of(libc::RUSAGE_CHILDREN)
}

/// The number of threads of this process, from `/proc/self/status`.
fn threads_alive() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// The number of live children of this process (all its threads'), from `/proc`.
fn children_alive() -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .map(|c| c.split_whitespace().count())
        .sum()
}
