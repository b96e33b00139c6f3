//! The check's line to concur: the pass record, and the pictures and measurements it publishes.
//!
//! concur starts each check with one end of a Unix socket pair inherited as a file descriptor
//! (named in [`CHANNEL_FD_ENV`]) and, already waiting in it, a secret of [`SECRET_LEN`] bytes
//! made for this run alone. Every hidden check is wrapped by the kit's `#[test]` (see the
//! `concur-kit-macros` crate), whose first act, before any learner code can run, is
//! [`run_check`] taking the channel: it reads the secret, marks the descriptor close-on-exec and
//! keeps both in memory. Only when the check function has returned without failing does it send
//! a pass record carrying the secret. concur counts a check as passed on that record alone.
//!
//! Why learner code cannot forge it: the secret is never in a file, argument or variable, and a
//! socket cannot be reopened through `/proc/self/fd`, so writing to the channel takes the raw
//! descriptor, which safe Rust cannot turn into a file (learner files may not contain `unsafe`).
//! What this does not defend against: code that reads this process's memory to find the secret
//! and then writes with raw system calls (see the README's known limits).
//!
//! In: the inherited descriptor. Out: [`Message`]s, one JSON line each.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::experiment::Measurement;
use crate::publish::Published;

/// Names the descriptor of the check's end of the channel.
pub const CHANNEL_FD_ENV: &str = "CONCUR_CHECK_FD";

/// Length of the per-run secret.
pub const SECRET_LEN: usize = 32;

/// What a check sends to concur, one JSON object per line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// The check function `check` (its full libtest name) returned without failing.
    Pass { check: String, secret: String },
    /// A trace for the timeline picture under the check.
    Timeline(Published),
    /// A measurement for an experiment's comparison table.
    Measured(Measurement),
    /// The seed the check drew its inputs from, shown with a failure so the run can be
    /// replayed.
    Seed { seed: u64 },
}

struct Channel {
    stream: Mutex<UnixStream>,
    secret: [u8; SECRET_LEN],
}

/// The channel, taken at most once per process; `None` outside concur.
fn channel() -> Option<&'static Channel> {
    static CHANNEL: OnceLock<Option<Channel>> = OnceLock::new();
    CHANNEL.get_or_init(open).as_ref()
}

fn open() -> Option<Channel> {
    let fd: RawFd = std::env::var(CHANNEL_FD_ENV).ok()?.parse().ok()?;
    // A descriptor concur did not give us (e.g. under plain `cargo test`) is not a socket.
    if !is_socket(fd) {
        return None;
    }
    // SAFETY: concur passed this descriptor for this process alone, and `OnceLock` makes this
    // the only place that takes ownership of it.
    let mut stream = unsafe { UnixStream::from_raw_fd(fd) };
    // Worker processes the check starts must not inherit the channel.
    // SAFETY: F_SETFD on a descriptor we own.
    unsafe {
        libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
    }
    let mut secret = [0u8; SECRET_LEN];
    stream.read_exact(&mut secret).ok()?;
    // Other processes of this user may not read or write this one's memory through /proc.
    // SAFETY: PR_SET_DUMPABLE takes an integer flag and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    Some(Channel {
        stream: Mutex::new(stream),
        secret,
    })
}

fn is_socket(fd: RawFd) -> bool {
    // SAFETY: fstat writes only into the zeroed struct it is given.
    unsafe {
        let mut stat: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut stat) == 0 && (stat.st_mode & libc::S_IFMT) == libc::S_IFSOCK
    }
}

/// Whether this check runs under concur, which draws published traces itself.
pub fn under_concur() -> bool {
    channel().is_some()
}

/// Sends `message` to concur; does nothing outside concur. A lost picture is no verdict, so a
/// failed write is ignored.
pub(crate) fn send(message: &Message) {
    let Some(channel) = channel() else { return };
    let Ok(mut line) = serde_json::to_vec(message) else {
        return;
    };
    line.push(b'\n');
    let mut stream = channel.stream.lock().unwrap_or_else(|e| e.into_inner());
    let _ = stream.write_all(&line);
}

/// What a check function returned: whether it passed.
pub trait Verdict {
    fn passed(&self) -> bool;
}

impl Verdict for () {
    fn passed(&self) -> bool {
        true
    }
}

impl<T, E> Verdict for Result<T, E> {
    fn passed(&self) -> bool {
        self.is_ok()
    }
}

/// Runs one hidden check: takes the channel before anything else, runs `body`, and sends the
/// pass record only if `body` returned a passing value. A panic propagates (libtest reports the
/// failure) and sends nothing. Called by the kit's `#[test]`, never by hand.
#[doc(hidden)]
pub fn run_check<T: Verdict>(check: &str, body: impl FnOnce() -> T) -> T {
    let channel = channel();
    let value = body();
    if let Some(channel) = channel.filter(|_| value.passed()) {
        send(&Message::Pass {
            check: check.to_string(),
            secret: hex(&channel.secret),
        });
    }
    value
}

/// Runs an `async fn` check to completion on a current-thread tokio runtime with every driver
/// enabled, as `#[tokio::test]` does. Called by the kit's `#[test]`.
#[doc(hidden)]
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime can always be built")
        .block_on(future)
}

/// Like [`block_on`], on a multi-thread runtime with `threads` workers.
#[doc(hidden)]
pub fn block_on_threads<F: std::future::Future>(threads: usize, future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("a multi-thread tokio runtime can be built")
        .block_on(future)
}

/// Lower-case hexadecimal, as concur writes the secret it expects back.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The messages in what a check wrote to its channel; garbled lines are skipped.
pub fn parse(text: &str) -> Vec<Message> {
    text.lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let pass = Message::Pass {
            check: "checks::a".into(),
            secret: hex(&[0, 15, 255]),
        };
        let line = serde_json::to_string(&pass).expect("serialises");
        assert!(line.contains("\"kind\":\"pass\"") && line.contains("000fff"));
        assert_eq!(parse(&format!("garbage\n{line}\n")), vec![pass]);
        let seed = serde_json::to_string(&Message::Seed { seed: 7 }).expect("serialises");
        assert_eq!(parse(&seed), vec![Message::Seed { seed: 7 }]);
    }

    #[test]
    fn outside_concur_a_check_just_runs() {
        assert!(!under_concur());
        assert!(run_check("checks::x", || Ok::<u8, String>(7)).passed());
        assert!(!run_check("checks::x", || Err::<u8, String>("no".into())).passed());
    }
}
