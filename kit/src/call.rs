//! Calling the learner's function the way every check should: under a deadline, on a thread of
//! its own, with the moment it started and returned on the kit's clock.
//!
//! A [`Called`] carries the value and the call's window, so a check can ask whether the work it
//! counts lay inside the call ([`crate::check::assert_inside`]) and how the call's wall time
//! compares with the sequential cost ([`crate::check::assert_wall_below`]). A call that does
//! not return in time fails with a message instead of being killed by the run's limit; a call
//! that panics fails with its panic message.
//!
//! In: what the function is called (for messages), a deadline, the call. Out: a [`Called`].

use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

use crate::check::panic_message;
use crate::trace::now_us;

/// A returned call: its value and when it ran, on the clock spans are timed with.
#[derive(Clone, Debug)]
pub struct Called<T> {
    pub value: T,
    /// When the call started and returned, in microseconds (see [`crate::trace::now_us`]).
    pub start_us: u64,
    pub end_us: u64,
}

impl<T> Called<T> {
    /// How long the call took.
    pub fn elapsed(&self) -> Duration {
        Duration::from_micros(self.end_us.saturating_sub(self.start_us))
    }
}

/// Runs `f` on a thread of its own and waits at most `deadline` for it. `what` names the call
/// in messages ("run_pool", "squares(…)").
///
/// # Panics
///
/// When `f` panics (with its message), or has not returned after `deadline`.
#[track_caller]
pub fn call<T: Send + 'static>(
    what: &str,
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Called<T> {
    run_within(what, deadline, f).unwrap_or_else(|late| {
        panic!(
            "{what} did not return within {late}: is it waiting for something that never happens \
             (a thread never joined, a channel never closed, a lock never released)?"
        )
    })
}

/// Like [`call`], with the exercise's own question when the call is stuck: `hint` follows
/// "`what` did not return within …." ("Is it waiting for a worker that waits for more
/// input?").
///
/// # Panics
///
/// When `f` panics (with its message), or has not returned after `deadline`.
#[track_caller]
pub fn call_hinting<T: Send + 'static>(
    what: &str,
    deadline: Duration,
    hint: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Called<T> {
    run_within(what, deadline, f)
        .unwrap_or_else(|late| panic!("{what} did not return within {late}. {hint}"))
}

/// Runs `f` on a thread of its own; `Err` with the deadline, formatted, when it has not
/// returned by then. A panic in `f` is passed on with its message.
#[track_caller]
fn run_within<T: Send + 'static>(
    what: &str,
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<Called<T>, String> {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = std::thread::spawn(move || {
        let start_us = now_us();
        let value = f();
        let end_us = now_us();
        // The receiver is gone only when the check has already failed.
        let _ = done_tx.send(Called {
            value,
            start_us,
            end_us,
        });
    });
    match done_rx.recv_timeout(deadline) {
        Ok(called) => {
            // It sent, so it is about to end; joining keeps nothing of it running.
            let _ = runner.join();
            Ok(called)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("{what} panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => Err(crate::timeline::fmt_duration(deadline)),
    }
}

/// Awaits `future` for at most `deadline` on the current runtime, timing it like [`call`].
///
/// # Panics
///
/// When the future has not completed after `deadline`.
pub async fn call_async<T>(
    what: &str,
    deadline: Duration,
    future: impl Future<Output = T>,
) -> Called<T> {
    let start_us = now_us();
    match tokio::time::timeout(deadline, future).await {
        Ok(value) => Called {
            value,
            start_us,
            end_us: now_us(),
        },
        Err(_) => panic!(
            "{what} did not finish within {}: is it awaiting something that never completes?",
            crate::timeline::fmt_duration(deadline)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let err = std::panic::catch_unwind(f).expect_err("should panic");
        panic_message(&*err)
    }

    #[test]
    fn a_call_carries_its_window_and_value() {
        let before = now_us();
        let called = call("sleepy", Duration::from_secs(5), || {
            std::thread::sleep(Duration::from_millis(20));
            7
        });
        assert_eq!(called.value, 7);
        assert!(called.start_us >= before && called.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn a_stuck_or_panicking_call_fails_with_a_message() {
        let stuck = message(|| {
            call("waits", Duration::from_millis(50), || {
                std::thread::sleep(Duration::from_millis(500))
            });
        });
        assert!(
            stuck.starts_with("waits did not return within 50 ms"),
            "{stuck}"
        );
        let boom = message(|| {
            call("breaks", Duration::from_secs(5), || panic!("no luck"));
        });
        assert_eq!(boom, "breaks panicked: no luck");
    }

    #[test]
    fn a_stuck_call_asks_the_exercise_s_own_question() {
        let stuck = message(|| {
            call_hinting(
                "run_pool",
                Duration::from_millis(50),
                "Is a worker waiting for more input?",
                || std::thread::sleep(Duration::from_millis(500)),
            );
        });
        assert_eq!(
            stuck,
            "run_pool did not return within 50 ms. Is a worker waiting for more input?"
        );
    }
}
