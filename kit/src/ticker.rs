//! Proof that an async runtime stayed responsive while the learner's code ran on it.
//!
//! A [`Ticker`] is a task on the check's runtime that wakes every few milliseconds and keeps
//! the longest gap between two wake-ups. Code that blocks the runtime's thread (a
//! `std::thread::sleep`, CPU work, a blocking lock) stops every task on it, the ticker
//! included, so the gap grows to the length of the block; code that awaits keeps it short.
//! On a busy machine the gap grows a little, never to the length of a real block.
//!
//! In: a period. Out: the longest gap, and [`assert_responsive`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::timeline::fmt_duration;

/// How often a ticker wakes, unless told otherwise.
pub const PERIOD: Duration = Duration::from_millis(5);

/// A task that measures how long the runtime went without running it.
pub struct Ticker {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Duration>,
}

impl Ticker {
    /// Starts ticking every `period` on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn start(period: Duration) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let task = tokio::spawn(async move {
            let mut longest = Duration::ZERO;
            let mut last = Instant::now();
            while !flag.load(Ordering::SeqCst) {
                tokio::time::sleep(period).await;
                let now = Instant::now();
                longest = longest.max(now - last);
                last = now;
            }
            longest
        });
        Ticker { stop, task }
    }

    /// Stops ticking; returns the longest gap between two ticks (a tick late by the
    /// period itself is no gap).
    pub async fn stop(self) -> Duration {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.unwrap_or(Duration::MAX)
    }
}

/// The runtime went at most `bound` without running other tasks while `what` ran.
#[track_caller]
pub fn assert_responsive(longest_gap: Duration, bound: Duration, what: &str) {
    if longest_gap > bound {
        panic!(
            "while {what} ran, the runtime's thread ran no other task for {}: something blocked \
             it (a std::thread::sleep, a blocking call or CPU work on the runtime) — every other \
             task waits until it ends; await instead, or hand the blocking work to \
             tokio::task::spawn_blocking",
            fmt_duration(longest_gap)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_the_runtime_shows_as_a_gap_and_awaiting_does_not() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let ticker = Ticker::start(PERIOD);
            tokio::time::sleep(Duration::from_millis(100)).await;
            let gap = ticker.stop().await;
            assert!(gap < Duration::from_millis(60), "{gap:?}");

            let ticker = Ticker::start(PERIOD);
            tokio::task::yield_now().await;
            std::thread::sleep(Duration::from_millis(150));
            tokio::task::yield_now().await;
            let gap = ticker.stop().await;
            assert!(gap >= Duration::from_millis(140), "{gap:?}");
        });
    }
}
