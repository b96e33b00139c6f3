//! Trusted helper children that are not confined (cargo, rustc, git) but must still die with
//! concur: each runs in its own process group, registered for the Ctrl-C handler and known to
//! the orphan sweep, optionally at low CPU priority.
//!
//! In: a `Command` and how to [`Spawn`] it (priority, job). Out: a [`TrackedChild`] that kills its group when
//! dropped unfinished, or with [`output`] the finished child's output.

use std::io::{self, Read};
use std::ops::{Deref, DerefMut};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::Duration;

use nix::sys::signal::Signal;

use super::{registry, unix, Job};

/// How long dropping a tracked child may spend reaping what is left of its group.
const DROP_REAP_LIMIT: Duration = Duration::from_secs(2);

/// A child in its own registered process group. Derefs to [`Child`] so callers can take its
/// pipes; on drop it is unregistered, and its group is killed and reaped if still running.
#[derive(Debug)]
pub struct TrackedChild {
    child: Child,
    pgid: i32,
    job: Option<Job>,
}

/// How much of the CPU a tracked child may take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Priority {
    #[default]
    Normal,
    /// `nice` 10: checks running meanwhile get the CPU first (`concur grade` builds the next
    /// submission while checking this one).
    Low,
}

/// How a tracked child is started.
#[derive(Clone, Debug, Default)]
pub struct Spawn {
    pub priority: Priority,
    /// The job the child belongs to: cancelling it kills the child's group.
    pub job: Option<Job>,
}

/// How much lower than normal [`Priority::Low`] runs.
const LOW_NICENESS: libc::c_int = 10;

/// Spawns `cmd` in its own process group registered for Ctrl-C cleanup.
///
/// Stdio and environment are left as the caller set them: this is for trusted tools
/// like cargo, which need the user's environment and may need a terminal.
pub fn spawn_tracked(mut cmd: Command, how: &Spawn) -> io::Result<TrackedChild> {
    unix::ensure_subreaper();
    cmd.process_group(0);
    if how.priority == Priority::Low {
        // SAFETY: setpriority is a plain system call, allowed between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::setpriority(libc::PRIO_PROCESS, 0, LOW_NICENESS);
                Ok(())
            });
        }
    }
    let (child, pgid) = registry::spawn_registered(&mut cmd, None)?;
    if let Some(job) = &how.job {
        job.enter(pgid);
    }
    Ok(TrackedChild {
        child,
        pgid,
        job: how.job.clone(),
    })
}

/// Runs a short trusted command to completion, like [`Command::output`], as a tracked child.
pub fn output(mut cmd: Command) -> io::Result<Output> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = spawn_tracked(cmd, &Spawn::default())?;
    let mut stdout = child.stdout.take().expect("stdout was piped above");
    let mut stderr = child.stderr.take().expect("stderr was piped above");
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let mut out = Vec::new();
    stdout.read_to_end(&mut out)?;
    let status = child.wait()?;
    let err = err_reader.join().unwrap_or_default();
    Ok(Output {
        status,
        stdout: out,
        stderr: err,
    })
}

/// A child in concur's own process group, so it may have the terminal (the learner's editor):
/// not confined, known to the orphan sweep so that no run takes it for its own leftover.
#[derive(Debug)]
pub struct ForegroundChild {
    child: Child,
}

/// Spawns `cmd` as a [`ForegroundChild`].
pub fn spawn_foreground(mut cmd: Command) -> io::Result<ForegroundChild> {
    unix::ensure_subreaper();
    let child = registry::spawn_foreground(&mut cmd)?;
    Ok(ForegroundChild { child })
}

impl ForegroundChild {
    /// The child's pid.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child to exit.
    pub fn wait(mut self) -> io::Result<ExitStatus> {
        self.child.wait()
    }
}

impl Drop for ForegroundChild {
    fn drop(&mut self) {
        // Left running (or reaped above): from now on an orphan like any other.
        registry::forget_foreground(self.child.id() as i32);
    }
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
        if let Some(job) = &self.job {
            job.leave(self.pgid);
        }
    }
}
