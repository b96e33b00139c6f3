//! Hidden checks for `05_async/await_points`.
//!
//! The check calls the learner's `get` with paths and latencies drawn per run (`Inputs`), so
//! neither the answer nor the wait can be hard-coded. `#[test]` runs a current_thread
//! runtime: one thread for every task, so requests only overlap if `get` steps aside at an
//! await point. The timing check wraps each request in a span (one row per request) while
//! `get` is awaited and asserts four facts together: all requests waited at once (peak
//! overlap), the whole took well under the sequential cost, a ticker on the same runtime was
//! never held up (a block after the first await still opens every span, so the peak alone
//! proves nothing), and no thread was started to wait on (the statement rules out
//! `spawn_blocking` and `std::thread::spawn`).
//!
//! Variants (`tests/variants/05_async/await_points_*`): `blocking` (std::thread::sleep) and
//! `yield_then_block` (yields once, then blocks: peak N, wall N × latency) and
//! `blocks_in_slices` bite `requests_wait_together_on_one_thread`; `spawn_blocking` bites it
//! through the thread count; `not_awaited` bites `get_waits_for_the_latency` and the timing
//! check; `fixed_delay` (ignores `latency`) bites `get_waits_for_the_latency`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use concur_kit::call::call_async;
use concur_kit::check::assert_inside;
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::ticker::{Ticker, PERIOD};
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::Trace;

use crate::exercise::get;

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);
/// How long the runtime may go without running the ticker. Awaiting code keeps the gap near
/// the 5 ms period even on a busy machine; a blocked request holds it for its whole latency
/// (200 ms or more here).
const RESPONSIVE: Duration = Duration::from_millis(80);
/// How late `get` may answer after its latency: timers fire late on a busy machine (a
/// thread waiting for a core on a loaded 2-core machine, 300 ms at worst seen), never by
/// this much. The long wait is drawn further from the short one than this, so no fixed delay
/// passes both.
const LATE: Duration = Duration::from_millis(350);

/// A path only this run knows.
fn path(inputs: &mut Inputs) -> String {
    let resource = *inputs.pick(&["users", "orders", "posts", "carts", "invoices"]);
    let id = inputs.between(1, 9999);
    format!("/{resource}/{id}?v={:06x}", inputs.salt(id) & 0xff_ffff)
}

/// The threads of this process now (Linux), for proof that no thread was started to wait.
fn threads() -> Option<usize> {
    std::fs::read_dir("/proc/self/task").ok().map(|dir| dir.count())
}

/// Samples the thread count every few milliseconds on a thread of its own (so a blocked
/// runtime does not stop it) and keeps the highest count seen.
struct ThreadWatch {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicUsize>,
    baseline: usize,
    sampler: std::thread::JoinHandle<()>,
}

impl ThreadWatch {
    fn start() -> Option<ThreadWatch> {
        threads()?;
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicUsize::new(0));
        let sampler = {
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    peak.fetch_max(threads().unwrap_or(0), Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(2));
                }
            })
        };
        // The sampler itself is one thread more; count from here.
        let baseline = threads()?;
        Some(ThreadWatch { stop, peak, baseline, sampler })
    }

    /// How many threads more than at the start were seen at once.
    fn stop(self) -> usize {
        // Tokio keeps idle blocking threads for 10 s, so one last look still sees them.
        self.peak.fetch_max(threads().unwrap_or(0), Ordering::SeqCst);
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.sampler.join();
        self.peak.load(Ordering::SeqCst).saturating_sub(self.baseline)
    }
}

#[test]
async fn get_answers_with_the_path() {
    let mut inputs = Inputs::new();
    for _ in 0..3 {
        let path = path(&mut inputs);
        let latency = Duration::from_millis(inputs.between(5, 20));
        let answer = call_async("get", DEADLINE, get(&path, latency)).await.value;
        let expected = format!("200 OK {path}");
        assert_eq!(
            answer,
            expected,
            "get({path:?}, {}) must answer {expected:?}; it answered {answer:?}",
            fmt_duration(latency)
        );
    }
}

#[test]
async fn get_waits_for_the_latency() {
    let mut inputs = Inputs::new();
    // A short and a long wait, far apart, so no fixed delay suits both.
    let latencies = [inputs.between(40, 80), inputs.between(480, 560)].map(Duration::from_millis);
    for latency in latencies {
        let path = path(&mut inputs);
        let called = call_async("get", DEADLINE, get(&path, latency)).await;
        let took = called.elapsed();
        // Timers never fire early; the margin only absorbs clock rounding.
        if took + Duration::from_millis(2) < latency {
            panic!(
                "get({path:?}, {}) answered after {}, before the server could have answered. \
                 A future does nothing until it is awaited: a sleep that is created but never \
                 `.await`ed does not wait at all.",
                fmt_duration(latency),
                fmt_duration(took)
            );
        }
        if took > latency + LATE {
            panic!(
                "get({path:?}, {}) answered only after {}: it must wait the latency it is \
                 given, not longer. Does it wait a fixed time instead of `latency`?",
                fmt_duration(latency),
                fmt_duration(took)
            );
        }
    }
}

#[test]
async fn requests_wait_together_on_one_thread() {
    let mut inputs = Inputs::new();
    let n = inputs.between(5, 7) as usize;
    let base = inputs.between(200, 260);
    let plan: Vec<(String, Duration)> = (0..n)
        .map(|_| (path(&mut inputs), Duration::from_millis(base + inputs.between(0, 40))))
        .collect();
    let sequential: Duration = plan.iter().map(|(_, l)| *l).sum();
    let ideal = plan.iter().map(|(_, l)| *l).max().unwrap_or_default();
    // Halfway between all at once and one after another: a sequential run cannot make it, a
    // concurrent one has several hundred milliseconds to spare.
    let bound = ideal + (sequential - ideal) / 2;

    let trace = Trace::new();
    let watch = ThreadWatch::start();
    let ticker = Ticker::start(PERIOD);
    let requests = {
        let (trace, plan) = (trace.clone(), plan.clone());
        async move {
            let tasks: Vec<_> = plan
                .into_iter()
                .map(|(path, latency)| {
                    let trace = trace.clone();
                    tokio::spawn(async move {
                        let _row = Row::open(&trace, &path);
                        let answer = get(&path, latency).await;
                        (path, answer)
                    })
                })
                .collect();
            let mut answers = Vec::new();
            for task in tasks {
                answers.push(task.await.expect("a request task panicked"));
            }
            answers
        }
    };
    let called = call_async(&format!("{n} calls of get"), DEADLINE, requests).await;
    let gap = ticker.stop().await;
    let extra_threads = watch.map(ThreadWatch::stop).unwrap_or(0);

    for (path, answer) in &called.value {
        assert_eq!(*answer, format!("200 OK {path}"), "get({path:?}, …) answered {answer:?}");
    }
    let longest = trace.spans().iter().map(|s| s.duration()).max().unwrap_or_default();
    if longest < ideal / 2 {
        panic!(
            "the {n} requests of about {} each took no time at all (the longest {}): get \
             answered without waiting for the server. Is the sleep awaited?{}",
            fmt_duration(Duration::from_millis(base)),
            fmt_duration(longest),
            picture(&trace, "requests")
        );
    }
    if gap > RESPONSIVE {
        panic!(
            "while the {n} requests waited, the runtime's only thread ran no other task for {} \
             (peak overlap {} of {n}, {} in all): get held the thread while it waited (a \
             std::thread::sleep or a busy loop), so every other task waited with it. Only an \
             `.await` on something that waits without blocking lets the others in.{}",
            fmt_duration(gap),
            trace.peak_overlap(),
            fmt_duration(called.elapsed()),
            picture(&trace, "requests")
        );
    }
    if extra_threads > 0 {
        panic!(
            "while the {n} requests waited, {extra_threads} more thread(s) were running than \
             before: get hands its wait to other threads (spawn_blocking or \
             std::thread::spawn). That is one thread per waiting request, which async exists \
             to avoid; wait with a tokio timer on the runtime's own thread."
        );
    }
    let peak = trace.peak_overlap();
    if peak < n {
        panic!(
            "only {peak} of the {n} requests waited at the same time, expected all {n}: each \
             request must step aside at an `.await` while it waits.{}",
            picture(&trace, "requests")
        );
    }
    assert_inside(&trace, &called, "requests", "the check's calls of get");
    if called.elapsed() >= bound {
        panic!(
            "the {n} requests waited together, but all of them took {}; waiting at once they \
             take about {} (one after another {}), and the check allows {}.{}",
            fmt_duration(called.elapsed()),
            fmt_duration(ideal),
            fmt_duration(sequential),
            fmt_duration(bound),
            picture(&trace, "requests")
        );
    }
}
