//! Resource limits for one sandboxed run.
//!
//! In: the caller's [`Limits`]. Out: a `pre_exec` closure that applies the kernel-enforced
//! ones (core dumps, file size, address space) inside the forked child, before `exec`.
//! The wall clock, grace period and output cap are enforced by the runner, not the kernel.

use std::time::Duration;

use nix::sys::resource::{getrlimit, setrlimit, Resource};

/// Limits applied to every program the sandbox runs.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Wall-clock limit; when it passes the group gets SIGTERM.
    pub wall: Duration,
    /// Time between SIGTERM and SIGKILL, so well-behaved programs can flush and exit.
    pub grace: Duration,
    /// `RLIMIT_AS` in bytes.
    pub memory_bytes: u64,
    /// `RLIMIT_FSIZE` in bytes.
    pub file_size_bytes: u64,
    /// Cap on captured stdout + stderr together.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall: Duration::from_secs(10),
            grace: Duration::from_millis(300),
            memory_bytes: 2 << 30,
            file_size_bytes: 64 << 20,
            output_bytes: 1 << 20,
        }
    }
}

/// Builds the closure run between `fork` and `exec`.
///
/// It must stay async-signal-safe: the child of a multi-threaded parent may only call
/// functions like `getrlimit`/`setrlimit` there, so no allocation and no locks.
pub(crate) fn child_setup(limits: &Limits) -> impl FnMut() -> std::io::Result<()> + Send + Sync {
    let file_size = limits.file_size_bytes;
    let memory = limits.memory_bytes;
    move || {
        set_limit(Resource::RLIMIT_CORE, 0)?;
        set_limit(Resource::RLIMIT_FSIZE, file_size)?;
        set_limit(Resource::RLIMIT_AS, memory)?;
        Ok(())
    }
}

/// Sets soft and hard limit to `value`, clamped to the current hard limit: an unprivileged
/// concur cannot raise it, and a lower existing limit is already stricter than ours.
/// Lowering the hard limit too means the learner's program cannot raise it back.
/// (nix's wrappers are the bare system calls: no allocation, so fine before `exec`.)
fn set_limit(resource: Resource, value: u64) -> std::io::Result<()> {
    let (_, hard) = getrlimit(resource)?;
    let value = value.min(hard);
    setrlimit(resource, value, value)?;
    Ok(())
}
