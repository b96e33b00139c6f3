//! Captures a child's stdout and stderr on two threads under one shared byte budget.
//!
//! In: the two pipe read ends, the budget, the echo mode. Out: the bytes that fit, and
//! whether the program wrote more than the budget. Exceeding it SIGKILLs the group at once:
//! a flooding program is stopped instead of filling memory or waiting for the wall limit.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::unix;
use super::Echo;

/// How often a reader with nothing to read checks whether it was told to stop.
const POLL_INTERVAL_MS: libc::c_int = 50;
const CHUNK: usize = 64 * 1024;

/// Bytes both streams may still keep, shared so the cap holds for stdout + stderr together.
struct Budget {
    remaining: AtomicUsize,
    exceeded: AtomicBool,
    pgid: i32,
}

impl Budget {
    /// Reserves up to `wanted` bytes and returns how many were granted.
    fn take(&self, wanted: usize) -> usize {
        let before = self
            .remaining
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                Some(left.saturating_sub(wanted))
            })
            .expect("the update closure always returns Some");
        let granted = before.min(wanted);
        if granted < wanted {
            self.exceeded.store(true, Ordering::SeqCst);
            unix::signal_group(self.pgid, Signal::SIGKILL);
        }
        granted
    }
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// The two running reader threads.
pub(crate) struct Capture {
    budget: Arc<Budget>,
    stop: Arc<AtomicBool>,
    stdout: JoinHandle<io::Result<Vec<u8>>>,
    stderr: JoinHandle<io::Result<Vec<u8>>>,
}

/// What the readers collected.
pub(crate) struct Captured {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) exceeded: bool,
}

impl Capture {
    /// Starts one reader per stream. If the second thread cannot start, the first one ends
    /// by itself when the caller's guard kills the group and the pipe closes.
    pub(crate) fn start<O, E>(
        stdout: O,
        stderr: E,
        cap: usize,
        pgid: i32,
        echo: Echo,
    ) -> io::Result<Capture>
    where
        O: Read + AsRawFd + Send + 'static,
        E: Read + AsRawFd + Send + 'static,
    {
        let budget = Arc::new(Budget {
            remaining: AtomicUsize::new(cap),
            exceeded: AtomicBool::new(false),
            pgid,
        });
        let stop = Arc::new(AtomicBool::new(false));
        let stdout = spawn_reader(stdout, Stream::Stdout, &budget, &stop, echo)?;
        let stderr = spawn_reader(stderr, Stream::Stderr, &budget, &stop, echo)?;
        Ok(Capture {
            budget,
            stop,
            stdout,
            stderr,
        })
    }

    /// Whether the budget was exceeded (and the group therefore SIGKILLed).
    pub(crate) fn exceeded(&self) -> bool {
        self.budget.exceeded.load(Ordering::SeqCst)
    }

    /// Waits up to `patience` for both pipes to reach end-of-file, then stops the readers.
    ///
    /// Called after the group is dead, so end-of-file normally comes at once; only a process
    /// that left the group (setsid) can still hold a pipe open, and it must not hang concur.
    pub(crate) fn finish(self, patience: Duration) -> io::Result<Captured> {
        let deadline = Instant::now() + patience;
        while !(self.stdout.is_finished() && self.stderr.is_finished()) && Instant::now() < deadline
        {
            thread::sleep(Duration::from_millis(2));
        }
        // Readers check this at least every POLL_INTERVAL_MS, so the joins below are bounded.
        self.stop.store(true, Ordering::SeqCst);
        let stdout = join(self.stdout)?;
        let stderr = join(self.stderr)?;
        Ok(Captured {
            stdout,
            stderr,
            exceeded: self.budget.exceeded.load(Ordering::SeqCst),
        })
    }
}

fn join(handle: JoinHandle<io::Result<Vec<u8>>>) -> io::Result<Vec<u8>> {
    handle
        .join()
        .map_err(|_| io::Error::other("output reader thread panicked"))?
}

fn spawn_reader<R>(
    pipe: R,
    stream: Stream,
    budget: &Arc<Budget>,
    stop: &Arc<AtomicBool>,
    echo: Echo,
) -> io::Result<JoinHandle<io::Result<Vec<u8>>>>
where
    R: Read + AsRawFd + Send + 'static,
{
    let budget = Arc::clone(budget);
    let stop = Arc::clone(stop);
    let name = match stream {
        Stream::Stdout => "sandbox-stdout",
        Stream::Stderr => "sandbox-stderr",
    };
    thread::Builder::new()
        .name(name.into())
        .spawn(move || read_stream(pipe, stream, &budget, &stop, echo))
}

/// Reads until end-of-file, the budget runs out, or `stop` is set. Returning drops the
/// read end, so a writer that survived the kill gets EPIPE instead of blocking.
fn read_stream<R: Read + AsRawFd>(
    mut pipe: R,
    stream: Stream,
    budget: &Budget,
    stop: &AtomicBool,
    echo: Echo,
) -> io::Result<Vec<u8>> {
    let mut kept = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    while !stop.load(Ordering::SeqCst) && !budget.exceeded.load(Ordering::SeqCst) {
        // poll before read so a blocked read cannot outlive `stop`.
        if !readable(pipe.as_raw_fd())? {
            continue;
        }
        let n = match pipe.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let granted = budget.take(n);
        let fitting = &chunk[..granted];
        kept.extend_from_slice(fitting);
        if echo == Echo::Live {
            // Echo is a courtesy to the watching user; a closed terminal must not fail the run.
            let _ = match stream {
                Stream::Stdout => write_all_flush(&mut io::stdout().lock(), fitting),
                Stream::Stderr => write_all_flush(&mut io::stderr().lock(), fitting),
            };
        }
    }
    Ok(kept)
}

fn write_all_flush(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(bytes)?;
    out.flush()
}

/// Waits up to POLL_INTERVAL_MS for data or end-of-file on `fd`.
fn readable(fd: RawFd) -> io::Result<bool> {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, and `fd` stays open because the caller owns the pipe.
    let ready = unsafe { libc::poll(&mut pfd, 1, POLL_INTERVAL_MS) };
    if ready < 0 {
        let err = io::Error::last_os_error();
        return if err.kind() == io::ErrorKind::Interrupted {
            Ok(false)
        } else {
            Err(err)
        };
    }
    Ok(ready > 0)
}
