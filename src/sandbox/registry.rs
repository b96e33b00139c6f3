//! The live children concur started, and the Ctrl-C handler that kills them.
//!
//! In: each child's pid (its process-group id), registered at spawn with the network
//! namespace it runs in (held open while it is registered, see `netns.rs`), and removed when
//! its run ends. Out: the members, so `orphans` can tell
//! a run's leftovers from another live run's; on Ctrl-C / SIGTERM / SIGHUP, SIGKILL to every
//! registered group and every descendant of concur, then exit 130.
//!
//! Children live in their own process groups so the terminal's Ctrl-C does not reach them
//! (and so we can kill whole trees); the price is that concur must kill them itself.

use std::collections::{HashMap, HashSet};
use std::io;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, Once, OnceLock};

use nix::sys::signal::Signal;

use super::netns::{Netns, Receiver};
use super::{orphans, unix};

/// Exit code after an interrupt: 128 + SIGINT, what shells report for Ctrl-C.
const INTERRUPTED_EXIT_CODE: i32 = 130;

/// Live children: pid (= process group) → the network namespace they run in, if their own.
static LIVE_GROUPS: LazyLock<Mutex<HashMap<i32, Option<Netns>>>> = LazyLock::new(Mutex::default);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HOOK: OnceLock<fn()> = OnceLock::new();

/// Sets what runs after every group was killed on an interrupt, just before concur exits:
/// `watch` restores the terminal there. Only the first call takes effect.
pub fn set_interrupt_hook(hook: fn()) {
    let _ = HOOK.set(hook);
}

/// The set is valid after any panic (inserts and removes are single operations), so a
/// poisoned lock is still used: the interrupt handler must be able to kill everything.
fn live_groups() -> MutexGuard<'static, HashMap<i32, Option<Netns>>> {
    LIVE_GROUPS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether concur has been interrupted (Ctrl-C / SIGTERM / SIGHUP) since it started.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Installs the Ctrl-C / SIGTERM / SIGHUP handler once (later calls do nothing): it kills
/// every live sandboxed or tracked group with SIGKILL, then exits concur with code 130.
///
/// If another handler was installed first (ctrlc allows one per process), a warning is
/// printed and that handler stays in charge.
pub fn install_interrupt_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        if let Err(err) = ctrlc::set_handler(on_interrupt) {
            eprintln!("concur: warning: cannot install the Ctrl-C handler ({err}); children may outlive an interrupt");
        }
    });
}

/// Runs on ctrlc's own thread, not in signal context, so taking the lock is allowed.
fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    kill_all();
    if let Some(hook) = HOOK.get() {
        hook();
    }
    std::process::exit(INTERRUPTED_EXIT_CODE);
}

fn kill_all() {
    let groups = live_groups();
    for &pgid in groups.keys() {
        unix::signal_group(pgid, Signal::SIGKILL);
    }
    // Whatever left its group (setsid, a double fork) is still a descendant of concur.
    orphans::kill_all_descendants();
    // Holding the lock until exit keeps a racing spawn from starting an unregistered group.
    std::mem::forget(groups);
}

/// Spawns `cmd` (already set to start its own process group) and registers the group, with
/// the network namespace its child sends to `netns` (a confined run's).
///
/// The lock is held across `spawn` so an interrupt cannot fall between the child starting
/// and its group being known to the handler.
pub(crate) fn spawn_registered(
    cmd: &mut Command,
    netns: Option<Receiver>,
) -> io::Result<(Child, i32)> {
    let mut groups = live_groups();
    let child = cmd.spawn()?;
    let pgid = i32::try_from(child.id()).expect("pids fit in pid_t");
    // The child sent its namespace before `exec`, and `spawn` returns after `exec`.
    groups.insert(pgid, netns.and_then(Receiver::receive));
    Ok((child, pgid))
}

/// Children concur starts for the user in its own process group, on the terminal (the
/// learner's editor): never taken for a run's orphans.
static FOREGROUND: LazyLock<Mutex<HashSet<i32>>> = LazyLock::new(Mutex::default);

/// Spawns `cmd` as a foreground child: in concur's own process group (it may need the
/// terminal), known to the orphan sweep by its pid so no run's sweep kills it.
pub(crate) fn spawn_foreground(cmd: &mut Command) -> io::Result<Child> {
    // Under the registry's lock, as every spawn, so a sweep never sees it unknown.
    let _groups = live_groups();
    let child = cmd.spawn()?;
    foreground().insert(i32::try_from(child.id()).expect("pids fit in pid_t"));
    Ok(child)
}

/// The foreground child `pid` was reaped.
pub(crate) fn forget_foreground(pid: i32) {
    foreground().remove(&pid);
}

fn foreground() -> MutexGuard<'static, HashSet<i32>> {
    FOREGROUND
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `look()` (a read of the process table) and the live children, the foreground ones
/// included, at one moment: no child is spawned, registered, reaped or unregistered while
/// `look` runs, so the two agree.
pub(crate) fn members_while<T>(look: impl FnOnce() -> T) -> (T, Vec<(i32, Option<u64>)>) {
    let groups = live_groups();
    let seen = look();
    let mut members: Vec<(i32, Option<u64>)> = groups
        .iter()
        .map(|(pid, ns)| (*pid, ns.as_ref().map(|ns| ns.inode)))
        .collect();
    members.extend(foreground().iter().map(|pid| (*pid, None)));
    (seen, members)
}

/// The network namespace registered for `pgid`, if it has its own.
pub(crate) fn netns_of(pgid: i32) -> Option<u64> {
    live_groups()
        .get(&pgid)
        .and_then(|ns| ns.as_ref().map(|ns| ns.inode))
}

pub(crate) fn unregister(pgid: i32) {
    live_groups().remove(&pgid);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::netns::{self, Sender};
    use std::os::unix::process::CommandExt;
    use std::thread;
    use std::time::Duration;

    /// `sleep secs` in a network namespace of its own, as a confined run is; it sends the
    /// namespace to `sender`.
    fn sleep_in_new_namespace(secs: &str, sender: Sender) -> Command {
        let mut cmd = Command::new("sleep");
        cmd.arg(secs);
        // SAFETY: unshare takes flags only, and `send` makes system calls only, as a child
        // of fork needs.
        unsafe {
            cmd.pre_exec(move || {
                if libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) != 0 {
                    return Err(io::Error::last_os_error());
                }
                sender.send()
            });
        }
        cmd
    }

    #[test]
    fn a_run_that_ends_at_once_is_registered_with_its_namespace() {
        let (sender, receiver) = netns::pair().expect("a socket pair");
        let (mut child, pgid) =
            spawn_registered(&mut sleep_in_new_namespace("0", sender), Some(receiver))
                .expect("spawns");
        child.wait().expect("waits");
        let registered = netns_of(pgid);
        unregister(pgid);
        let concur = orphans::netns(std::process::id() as i32);
        assert!(
            registered.is_some() && registered != concur,
            "{registered:?}"
        );
    }

    #[test]
    fn a_registered_runs_namespace_number_is_not_handed_to_a_later_namespace() {
        let (sender, receiver) = netns::pair().expect("a socket pair");
        let (mut first, pgid) =
            spawn_registered(&mut sleep_in_new_namespace("0", sender), Some(receiver))
                .expect("spawns");
        let held = netns_of(pgid).expect("the child has a namespace of its own");
        first.wait().expect("waits");
        // The kernel frees a namespace a moment after its last process, then gives its number
        // to the next one made: the run's sweep would meet that one as its own.
        thread::sleep(Duration::from_millis(300));
        let mut later = Vec::new();
        for _ in 0..4 {
            let (sender, receiver) = netns::pair().expect("a socket pair");
            let mut child = sleep_in_new_namespace("0", sender).spawn().expect("spawns");
            child.wait().expect("waits");
            later.push(
                receiver
                    .receive()
                    .expect("the child sent its namespace")
                    .inode,
            );
            thread::sleep(Duration::from_millis(150));
        }
        unregister(pgid);
        assert!(
            !later.contains(&held),
            "namespace {held} of a registered run was handed on: {later:?}"
        );
    }
}
