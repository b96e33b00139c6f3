//! Runs one program to completion in the sandbox: spawn, capture, wait with the wall
//! limit, terminate → grace → kill, then clean up whatever the program left behind.
//!
//! In: a `Command` and its [`Options`]. Out: a [`RunReport`]. Every path out of `run`,
//! errors and panics included, goes through [`GroupGuard`], so no process survives it; after
//! the main process ends, whatever left the group is found as an orphan (see `orphans.rs`).

use std::collections::HashSet;
use std::io;
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::capture::Capture;
use super::job::Job;
use super::{command, orphans, registry, unix, Options, RunReport};

/// How long to reap a killed group before giving up on processes stuck in the kernel.
const REAP_LIMIT: Duration = Duration::from_secs(2);
/// How long to wait for the pipes to close once the group is dead (only a process that
/// escaped the group can keep them open).
const READER_PATIENCE: Duration = Duration::from_secs(1);

pub(crate) fn run(mut cmd: Command, options: Options) -> io::Result<RunReport> {
    let Options {
        limits,
        echo,
        jail,
        inherit,
        job,
    } = options;
    let limits = &limits;
    unix::ensure_subreaper();
    let inherit_fd = inherit.as_ref().map(std::os::fd::AsRawFd::as_raw_fd);
    let netns = command::prepare(&mut cmd, limits, jail.as_ref(), inherit_fd)?;

    let started = Instant::now();
    let spawned = registry::spawn_registered(&mut cmd, netns);
    // The child has its copy; concur's must close, or the other end never sees end-of-file.
    drop(inherit);
    let (mut child, pgid) = spawned?;
    if let Some(job) = &job {
        job.enter(pgid);
    }
    let mut guard = GroupGuard {
        pgid,
        waiter_started: false,
        done: false,
        job,
    };
    let stdout = child
        .stdout
        .take()
        .expect("stdout was set to piped in prepare");
    let stderr = child
        .stderr
        .take()
        .expect("stderr was set to piped in prepare");
    // From here on the pid is waited for only by the waiter thread (or the guard), never by
    // `Child`, so it is reaped exactly once.
    drop(child);
    let capture = Capture::start(stdout, stderr, limits.output_bytes, pgid, echo)?;

    let (exited_tx, exited) = mpsc::channel();
    thread::Builder::new()
        .name("sandbox-wait".into())
        .spawn(move || {
            // The receiver is gone only if `run` already failed; the guard handles that.
            let _ = exited_tx.send(unix::wait_for(pgid));
        })?;
    guard.waiter_started = true;

    let deadline = started + limits.wall;
    let mut timed_out = false;
    let mut sigkilled = false;
    let waited = match exited.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(result) => Ok(result),
        Err(RecvTimeoutError::Timeout) => {
            timed_out = true;
            unix::signal_group(pgid, Signal::SIGTERM);
            match exited.recv_timeout(limits.grace) {
                Ok(result) => Ok(result),
                Err(RecvTimeoutError::Timeout) => {
                    unix::signal_group(pgid, Signal::SIGKILL);
                    sigkilled = true;
                    exited.recv().map_err(|_| waiter_lost())
                }
                Err(RecvTimeoutError::Disconnected) => Err(waiter_lost()),
            }
        }
        Err(RecvTimeoutError::Disconnected) => Err(waiter_lost()),
    };
    let (exit, cpu) = waited??;
    let wall = started.elapsed();

    // The main process is gone; anything still in its group was left behind. A group we
    // SIGKILLed ourselves (grace expired, output flood) had everything killed at once, so
    // stragglers there are dying, not leaked.
    sigkilled |= capture.exceeded();
    unix::reap_exited(pgid);
    let mut left = HashSet::new();
    if unix::group_exists(pgid) {
        left = unix::group_members(pgid);
        unix::kill_and_reap(pgid, REAP_LIMIT);
    }
    // Whatever moved to a group or session of its own came back to concur as an orphan; a
    // process that left the group while it was counted is found there too, and counted once.
    left.extend(orphans::sweep(pgid, registry::netns_of(pgid), REAP_LIMIT));
    let leaked = if sigkilled { 0 } else { left.len() };
    guard.done = true;

    let captured = capture.finish(READER_PATIENCE)?;
    Ok(RunReport {
        exit,
        stdout: captured.stdout,
        stderr: captured.stderr,
        output_exceeded: captured.exceeded,
        timed_out,
        wall,
        cpu,
        leaked,
        interrupted: registry::interrupted(),
        pgid,
    })
}

fn waiter_lost() -> io::Error {
    io::Error::other("the thread waiting for the sandboxed process ended without a result")
}

/// Kills and reaps the group if `run` leaves early (error or panic); always unregisters it.
struct GroupGuard {
    pgid: i32,
    /// Once the waiter thread runs, it alone reaps the main process.
    waiter_started: bool,
    /// The group was already cleaned up on the normal path.
    done: bool,
    job: Option<Job>,
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if !self.done {
            unix::signal_group(self.pgid, Signal::SIGKILL);
            if !self.waiter_started {
                // SIGKILL cannot be ignored, so this returns promptly.
                let _ = unix::wait_for(self.pgid);
            }
            unix::kill_and_reap(self.pgid, REAP_LIMIT);
            orphans::sweep(self.pgid, registry::netns_of(self.pgid), REAP_LIMIT);
        }
        registry::unregister(self.pgid);
        if let Some(job) = &self.job {
            job.leave(self.pgid);
        }
    }
}
