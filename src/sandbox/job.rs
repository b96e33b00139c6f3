//! A job: the children started for one piece of work, stopped as one.
//!
//! In: the process groups of the children spawned with a [`Job`] (sandboxed runs and tracked
//! helpers alike). Out: [`Job::cancel`], which SIGKILLs every group of the job still alive
//! and makes any later spawn in it die at once, so a driver (watch, on a save that makes the
//! running grade moot) stops its own work without touching anyone else's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use nix::sys::signal::Signal;

use super::unix;

/// A handle to one piece of work's children; clones share it.
#[derive(Clone, Debug, Default)]
pub struct Job(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    /// Process groups of the job's live children.
    groups: Mutex<Vec<i32>>,
}

impl Job {
    pub fn new() -> Job {
        Job::default()
    }

    /// Kills every child of the job, now and from now on.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::SeqCst);
        for pgid in self.groups().iter() {
            unix::signal_group(*pgid, Signal::SIGKILL);
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::SeqCst)
    }

    /// A child of the job started in group `pgid`; a job already cancelled kills it at once.
    pub(crate) fn enter(&self, pgid: i32) {
        self.groups().push(pgid);
        if self.is_cancelled() {
            unix::signal_group(pgid, Signal::SIGKILL);
        }
    }

    /// The child in group `pgid` is gone (reaped): the job no longer signals that number.
    pub(crate) fn leave(&self, pgid: i32) {
        self.groups().retain(|g| *g != pgid);
    }

    fn groups(&self) -> std::sync::MutexGuard<'_, Vec<i32>> {
        // A panic while holding the lock leaves a list that is still right.
        self.0.groups.lock().unwrap_or_else(|e| e.into_inner())
    }
}
