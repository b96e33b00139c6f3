//! Work handed to learners: the kit's only learner-facing surface.
//!
//! Exercises hand these to learners (e.g. `concur_kit::workload::slow_square`). Most calls
//! sleep — simulated latency whose sequential cost is known exactly, so a busy machine cannot
//! make a correct solution look slow. [`crunch`] alone is real CPU work, for the experiment
//! that compares threads, processes and async on CPU-bound jobs; checks assert where and when
//! crunches ran, never how long.
//!
//! Each call is one span of real work: recorded into the check's bench when this process has
//! one, else reported to the check's witness socket when this is a child process the check (or
//! `concur run`) started, else not recorded at all. Nothing here takes a trace, a time or a pid
//! from the caller, so calling a workload is the only way to make a span.
//!
//! In: a label and a duration (or a number to crunch). Out: a value, and one span per call.

use std::time::Duration;

use crate::trace::{current_thread, now_us, Span};
use crate::witness::Report;

/// How long one unit of simulated work takes.
pub const LATENCY: Duration = Duration::from_millis(100);

/// Mixing rounds in one [`crunch`]: about 40 ms of one core in the course's (unoptimised) build.
pub const CRUNCH_ROUNDS: u64 = 3_500_000;

/// Square `n`, slowly: sleeps [`LATENCY`] inside a span labelled `slow_square(n)`.
pub fn slow_square(n: u64) -> u64 {
    work(format!("slow_square({n})"), false, || {
        std::thread::sleep(LATENCY);
        n.wrapping_mul(n)
    })
}

/// Sleep `d` inside a span labelled `label`, recorded like [`slow_square`].
pub fn simulate(label: &str, d: Duration) {
    work(label.to_string(), false, || std::thread::sleep(d));
}

/// Makes the coffee: 400 ms of waiting for the machine (or what the check set), in a span
/// labelled `make coffee`.
pub fn make_coffee() {
    wait("make coffee", Duration::from_millis(400));
}

/// Makes the toast: 300 ms (or what the check set), in a span labelled `make toast`.
pub fn make_toast() {
    wait("make toast", Duration::from_millis(300));
}

/// Uploads `file` to `server`: 300 ms (or what the check set) in a span labelled
/// `upload {file}`; returns the address the file now has, `{server}/{file}`.
pub fn upload(server: &str, file: &str) -> String {
    let d = crate::bench::latency("upload").unwrap_or(Duration::from_millis(300));
    work(format!("upload {file}"), false, || {
        std::thread::sleep(d);
        format!("{server}/{file}")
    })
}

/// Sums `part`, slowly: 25 ms per number (or what the check set per number), in a span
/// labelled `sum of N numbers`.
pub fn slow_sum(part: &[u64]) -> u64 {
    let per = crate::bench::latency("slow_sum").unwrap_or(Duration::from_millis(25));
    let len = part.len();
    work(format!("sum of {len} numbers"), false, || {
        std::thread::sleep(per * u32::try_from(len).unwrap_or(u32::MAX));
        part.iter().sum()
    })
}

/// Serves page `page` for `worker`: 40 ms (or what the check set), in a span labelled
/// `worker W, page P`. Returns whether the page was there to serve: a page the check marked
/// missing is not (by default every page is).
pub fn serve_page(worker: usize, page: usize) -> bool {
    let d = crate::bench::latency("serve_page").unwrap_or(Duration::from_millis(40));
    let found = !crate::bench::marked("serve_page", page_id(worker, page)).unwrap_or(false);
    work(format!("worker {worker}, page {page}"), false, || {
        std::thread::sleep(d);
        found
    })
}

/// The id under which a check marks page `page` of `worker` missing for [`serve_page`].
pub fn page_id(worker: usize, page: usize) -> u64 {
    ((worker as u64) << 32) | page as u64
}

/// Inspects one part: 200 ms (or what the check set) in a span labelled `inspect part N`,
/// then returns its quality score, `part * 10`. Panics with `part N is faulty` on a faulty
/// part: one the check marked, or by default any multiple of 13.
pub fn inspect(part: u64) -> u64 {
    let d = crate::bench::latency("inspect").unwrap_or(Duration::from_millis(200));
    work(format!("inspect part {part}"), false, || {
        std::thread::sleep(d)
    });
    let faulty = crate::bench::marked("inspect", part).unwrap_or(part.is_multiple_of(13));
    if faulty {
        panic!("part {part} is faulty");
    }
    part * 10
}

/// Sleeps `default` (or the latency the check set for `label`) in a span labelled `label`.
fn wait(label: &str, default: Duration) {
    let d = crate::bench::latency(label).unwrap_or(default);
    work(label.to_string(), false, || std::thread::sleep(d));
}

/// `text` in capitals, as one unit of work (a span labelled `uppercase`), so a check sees
/// which process answered a job.
pub fn uppercase(text: &str) -> String {
    work("uppercase".to_string(), false, || text.to_uppercase())
}

/// A fixed amount of pure CPU work on `n` — no sleeping, no I/O — recorded like
/// [`slow_square`] as a span labelled `crunch(n)`, with the CPU time the thread used. The
/// answer depends only on `n`.
///
/// Unlike the other workloads its duration depends on the machine and on how busy it is, so
/// checks assert where and when crunches ran (threads, processes, overlap), never how long.
pub fn crunch(n: u64) -> u64 {
    work(format!("crunch({n})"), true, || {
        let mut x = n ^ 0x243F_6A88_85A3_08D3;
        for round in 0..CRUNCH_ROUNDS {
            x ^= x >> 29;
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9).wrapping_add(round);
            // Keeps the optimiser from folding the loop away in an optimised build.
            x = std::hint::black_box(x);
        }
        x
    })
}

/// Runs `f` as one span of work labelled `label`, recorded where this process reports to;
/// `cpu` also measures the CPU time the thread used (for computation).
fn work<T>(label: String, cpu: bool, f: impl FnOnce() -> T) -> T {
    if let Some(trace) = crate::bench::current() {
        let cpu_start = if cpu { thread_cpu_us() } else { None };
        let start = now_us();
        let value = f();
        let mut span = Span::new(label, start, now_us(), current_thread(), std::process::id());
        span.cpu_us = cpu_start
            .zip(thread_cpu_us())
            .map(|(a, b)| b.saturating_sub(a));
        trace.push(span);
        return value;
    }
    match Report::begin(&label, cpu) {
        Some(report) => {
            let value = f();
            report.end();
            value
        }
        None => f(),
    }
}

/// CPU time this thread has used, in microseconds.
fn thread_cpu_us() -> Option<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes only into `ts`, a live local.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    let secs = u64::try_from(ts.tv_sec).ok()?;
    let nanos = u64::try_from(ts.tv_nsec).ok()?;
    ok.then(|| secs * 1_000_000 + nanos / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crunch_is_deterministic() {
        let first = crunch(7);
        assert_eq!(crunch(7), first, "same n, same answer");
        assert_ne!(crunch(8), first, "another n, another answer");
    }

    #[test]
    fn the_thread_cpu_clock_counts_computation() {
        let before = thread_cpu_us().expect("the thread CPU clock");
        crunch(1);
        let after = thread_cpu_us().expect("the thread CPU clock");
        assert!(after > before);
    }
}
