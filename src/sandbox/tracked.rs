//! Long-running helper children that are not sandboxed (cargo) but must still die with
//! concur: each runs in its own process group, registered for the Ctrl-C handler.
//!
//! In: a `Command`. Out: a [`TrackedChild`] that kills its group when dropped unfinished.

use std::io;
use std::ops::{Deref, DerefMut};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::time::Duration;

use nix::sys::signal::Signal;

use super::{registry, unix};

/// How long dropping a tracked child may spend reaping what is left of its group.
const DROP_REAP_LIMIT: Duration = Duration::from_secs(2);

/// A child in its own registered process group. Derefs to [`Child`] so callers can take its
/// pipes; on drop it is unregistered, and its group is killed and reaped if still running.
#[derive(Debug)]
pub struct TrackedChild {
    child: Child,
    pgid: i32,
}

/// Spawns `cmd` in its own process group registered for Ctrl-C cleanup.
///
/// Stdio and environment are left as the caller set them: this is for trusted tools
/// like cargo, which need the user's environment and may need a terminal.
pub fn spawn_tracked(mut cmd: Command) -> io::Result<TrackedChild> {
    unix::ensure_subreaper();
    cmd.process_group(0);
    let (child, pgid) = registry::spawn_registered(&mut cmd)?;
    Ok(TrackedChild { child, pgid })
}

impl TrackedChild {
    /// The process-group id (equal to the child's pid).
    pub fn pgid(&self) -> i32 {
        self.pgid
    }

    /// Waits for the child to exit; whatever it left in its group is killed.
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        let status = self.child.wait()?;
        self.clean_group();
        Ok(status)
    }

    /// Like [`Child::try_wait`], cleaning the group once the child has exited.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        let status = self.child.try_wait()?;
        if status.is_some() {
            self.clean_group();
        }
        Ok(status)
    }

    /// SIGKILLs the whole group (not just the child, unlike [`Child::kill`]).
    pub fn kill(&mut self) {
        unix::signal_group(self.pgid, Signal::SIGKILL);
    }

    fn clean_group(&self) {
        unix::reap_exited(self.pgid);
        if unix::group_exists(self.pgid) {
            unix::kill_and_reap(self.pgid, DROP_REAP_LIMIT);
        }
    }
}

impl Deref for TrackedChild {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.child
    }
}

impl DerefMut for TrackedChild {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for TrackedChild {
    fn drop(&mut self) {
        // `Child` caches its exit status, so this is right even after a wait through Deref.
        if matches!(self.child.try_wait(), Ok(None)) {
            unix::signal_group(self.pgid, Signal::SIGKILL);
            let _ = self.child.wait();
        }
        self.clean_group();
        registry::unregister(self.pgid);
    }
}
