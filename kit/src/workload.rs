//! Work handed to learners, recorded as spans.
//!
//! Exercises hand these to learners (e.g. `concur_kit::workload::slow_square`). Most calls
//! sleep — simulated latency whose sequential cost is known exactly, so a busy machine cannot
//! make a correct solution look slow. [`crunch`] alone is real CPU work, for the experiment
//! that compares threads, processes and async on CPU-bound jobs; checks assert where and when
//! crunches ran, never how long. Each call runs inside a span recorded to [`global`] and, when
//! [`TRACE_FILE_ENV`] is set, appended to that file so work done in child processes reaches
//! the check too.
//!
//! In: a label and a duration (or a number to crunch). Out: a value, and one span per call.
//!
//! [`TRACE_FILE_ENV`]: crate::trace::TRACE_FILE_ENV

use std::time::Duration;

use crate::trace::{global, Trace};

/// How long one unit of simulated work takes.
pub const LATENCY: Duration = Duration::from_millis(100);

/// Square `n`, slowly: sleeps [`LATENCY`] inside a span labelled `slow_square(n)`.
pub fn slow_square(n: u64) -> u64 {
    traced(global(), format!("slow_square({n})"), LATENCY, || {
        n.wrapping_mul(n)
    })
}

/// Sleep `d` inside a span labelled `label`, recorded like [`slow_square`].
pub fn simulate(label: &str, d: Duration) {
    traced(global(), label, d, || ());
}

/// Open a span on `trace` (also written to the trace file, if one is set), sleep `d`, then run
/// `f` and return its value; the span closes after `f`.
pub fn traced<T>(trace: &Trace, label: impl Into<String>, d: Duration, f: impl FnOnce() -> T) -> T {
    let _guard = trace.span(label).also_to_trace_file();
    std::thread::sleep(d);
    f()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn traced_sleeps_and_records() {
        let trace = Trace::new();
        let started = Instant::now();
        let v = traced(&trace, "job", Duration::from_millis(20), || 5);
        assert_eq!(v, 5);
        assert!(started.elapsed() >= Duration::from_millis(20));
        let spans = trace.spans();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].label, "job");
        assert!(spans[0].end_us - spans[0].start_us >= 20_000);
    }

    #[test]
    fn slow_square_squares_and_records_globally() {
        assert_eq!(slow_square(12), 144);
        assert!(global()
            .spans()
            .iter()
            .any(|s| s.label == "slow_square(12)"));
    }
}

/// Mixing rounds in one [`crunch`]: about 40 ms of one core in the course's (unoptimised) build.
pub const CRUNCH_ROUNDS: u64 = 3_500_000;

/// A fixed amount of pure CPU work on `n` — no sleeping, no I/O — recorded like
/// [`slow_square`] as a span labelled `crunch(n)` (in [`global`], and in the trace file when
/// one is set, so crunches done in child processes are seen). The answer depends only on `n`.
///
/// Unlike the other workloads its duration depends on the machine and on how busy it is, so
/// checks assert where and when crunches ran (threads, processes, overlap), never how long.
pub fn crunch(n: u64) -> u64 {
    let _span = global().span(format!("crunch({n})")).also_to_trace_file();
    let mut x = n ^ 0x243F_6A88_85A3_08D3;
    for round in 0..CRUNCH_ROUNDS {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9).wrapping_add(round);
        // Keeps the optimiser from folding the loop away in an optimised build.
        x = std::hint::black_box(x);
    }
    x
}

#[cfg(test)]
mod crunch_tests {
    use super::*;

    #[test]
    fn crunch_is_deterministic_and_recorded() {
        let first = crunch(7);
        assert_eq!(crunch(7), first, "same n, same answer");
        assert_ne!(crunch(8), first, "another n, another answer");
        let spans: Vec<_> = global()
            .spans()
            .into_iter()
            .filter(|s| s.label == "crunch(7)")
            .collect();
        assert_eq!(spans.len(), 2, "one span per call: {spans:?}");
        assert!(spans
            .iter()
            .all(|s| s.end_us > s.start_us && s.pid == std::process::id()));
    }
}
