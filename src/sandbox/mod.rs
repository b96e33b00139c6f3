//! The sandbox: how concur runs untrusted learner programs (compiled test binaries).
//!
//! In: a `Command`, [`Limits`] and an [`Echo`] mode. Out: a [`RunReport`] — how the
//! program ended, what it printed (capped), and whether it timed out, flooded its output or
//! left processes behind. A misbehaving program is an outcome in the report, never an `Err`;
//! `Err` means concur itself could not run it (spawn failed, a thread could not start).
//!
//! Every program runs in its own process group with stdin closed, `NO_PROXY` covering
//! loopback, kernel resource limits, a wall-clock limit (SIGTERM, grace, SIGKILL) and a
//! shared output cap. After it ends, whatever is left of its group is counted, killed and
//! reaped; Ctrl-C kills every live group (see [`install_interrupt_handler`]).
//!
//! A [`Jail`] adds the isolation layers (see `jail.rs` and [`layers`]): a scratch folder as
//! working folder, `HOME` and `TMPDIR`; Landlock file rules and signal scope; a network
//! namespace with loopback only. Processes that leave the group are still found: concur is
//! their subreaper (`orphans.rs`).
//!
//! Files: `limits` (what may be used), `command` (preparing the child), `jail` (isolation),
//! `layers` (which isolation this machine has), `capture` (output readers), `unix` (system
//! calls), `runner` (the run itself), `orphans` (what a run left behind), `registry` (live
//! children and Ctrl-C), `tracked` (cargo and other trusted long-running children), `job` (the children of one
//! piece of work, stopped as one).

mod capture;
mod command;
mod jail;
mod job;
mod layers;
mod limits;
mod netns;
mod orphans;
mod registry;
mod runner;
mod tracked;
mod unix;

use std::io;
use std::os::fd::OwnedFd;
use std::process::Command;
use std::time::Duration;

pub use jail::{readable_roots, scratch, scratch_parent, Jail};
pub use job::Job;
pub use layers::{layers, Layer, Layers};
pub use limits::Limits;
pub use registry::{install_interrupt_handler, set_interrupt_hook};

/// SIGKILLs the process group `pgid` (a tracked child's, see [`TrackedChild::pgid`]).
pub fn kill_group(pgid: i32) {
    unix::signal_group(pgid, nix::sys::signal::Signal::SIGKILL);
}
pub use tracked::{
    output, spawn_foreground, spawn_tracked, ForegroundChild, Priority, Spawn, TrackedChild,
};

/// How the main process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// It was killed by this signal number.
    Signal(i32),
}

/// Whether to show the program's output live as well as capturing it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Echo {
    /// Capture only.
    #[default]
    Quiet,
    /// Also copy output to concur's stdout/stderr as it arrives (for `concur run`).
    Live,
}

/// Everything concur learned from one sandboxed run.
#[derive(Debug)]
pub struct RunReport {
    /// How the main process ended.
    pub exit: Exit,
    /// Captured stdout; together with `stderr` at most `Limits::output_bytes`.
    pub stdout: Vec<u8>,
    /// Captured stderr.
    pub stderr: Vec<u8>,
    /// The program wrote more than the cap and was SIGKILLed at that point.
    pub output_exceeded: bool,
    /// The wall limit was hit: the group got SIGTERM, then SIGKILL after the grace period.
    pub timed_out: bool,
    /// Wall-clock time from spawn to the main process's exit.
    pub wall: Duration,
    /// User + system CPU time of the main process (and children it waited for). Lets
    /// callers tell a deadlock (idle) from an endless loop (busy).
    pub cpu: Duration,
    /// Processes of the group still alive after the main process ended; they were
    /// SIGKILLed and reaped. Processes that left the group (setsid) are not seen.
    pub leaked: usize,
    /// concur was interrupted (Ctrl-C) while this ran. The installed handler exits right
    /// after killing the groups, so this is seen only by code racing that exit.
    pub interrupted: bool,
    /// The process-group id the program ran in (its pid); gone once `run` returns.
    pub pgid: i32,
}

/// How to run one program in the sandbox.
#[derive(Debug, Default)]
pub struct Options {
    pub limits: Limits,
    pub echo: Echo,
    /// The isolation layers, for untrusted code; `None` runs it with the caller's view.
    pub jail: Option<Jail>,
    /// A descriptor the program inherits under the same number (concur's copy is closed once
    /// the program has started).
    pub inherit: Option<OwnedFd>,
    /// The job the run belongs to: cancelling it kills the run.
    pub job: Option<Job>,
}

/// Runs `cmd` to completion inside the sandbox.
///
/// The command's stdin, stdout, stderr and process group are overridden; its arguments,
/// working directory and environment are kept, with `NO_PROXY`/`no_proxy` extended to
/// loopback and `RUST_BACKTRACE=0` / `MALLOC_ARENA_MAX=2` unless the command sets them.
pub fn run(cmd: Command, limits: &Limits, echo: Echo) -> io::Result<RunReport> {
    run_with(
        cmd,
        Options {
            limits: limits.clone(),
            echo,
            ..Options::default()
        },
    )
}

/// Runs `cmd` to completion with every option of the sandbox; with a [`Jail`], its working
/// folder, `HOME` and `TMPDIR` are the jail's scratch folder.
pub fn run_with(cmd: Command, options: Options) -> io::Result<RunReport> {
    runner::run(cmd, options)
}
