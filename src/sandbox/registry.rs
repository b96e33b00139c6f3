//! The live children concur started, and the Ctrl-C handler that kills them.
//!
//! In: each child's pid (its process-group id), registered at spawn with the network
//! namespace it runs in, and removed when its run ends. Out: the members, so `orphans` can tell
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

use super::{orphans, unix};

/// Exit code after an interrupt: 128 + SIGINT, what shells report for Ctrl-C.
const INTERRUPTED_EXIT_CODE: i32 = 130;

/// Live children: pid (= process group) → the network namespace they run in, if their own.
static LIVE_GROUPS: LazyLock<Mutex<HashMap<i32, Option<u64>>>> = LazyLock::new(Mutex::default);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HOOK: OnceLock<fn()> = OnceLock::new();

/// Sets what runs after every group was killed on an interrupt, just before concur exits:
/// `watch` restores the terminal there. Only the first call takes effect.
pub fn set_interrupt_hook(hook: fn()) {
    let _ = HOOK.set(hook);
}

/// The set is valid after any panic (inserts and removes are single operations), so a
/// poisoned lock is still used: the interrupt handler must be able to kill everything.
fn live_groups() -> MutexGuard<'static, HashMap<i32, Option<u64>>> {
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

/// Spawns `cmd` (already set to start its own process group) and registers the group.
///
/// The lock is held across `spawn` so an interrupt cannot fall between the child starting
/// and its group being known to the handler.
pub(crate) fn spawn_registered(cmd: &mut Command) -> io::Result<(Child, i32)> {
    let mut groups = live_groups();
    let child = cmd.spawn()?;
    let pgid = i32::try_from(child.id()).expect("pids fit in pid_t");
    // `spawn` returns once the child has exec'd, so a namespace of its own is in place now.
    let own =
        orphans::netns(pgid).filter(|ns| Some(*ns) != orphans::netns(std::process::id() as i32));
    groups.insert(pgid, own);
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
    let mut members: Vec<(i32, Option<u64>)> = groups.iter().map(|(pid, ns)| (*pid, *ns)).collect();
    members.extend(foreground().iter().map(|pid| (*pid, None)));
    (seen, members)
}

/// The network namespace registered for `pgid`, if it has its own.
pub(crate) fn netns_of(pgid: i32) -> Option<u64> {
    live_groups().get(&pgid).copied().flatten()
}

pub(crate) fn unregister(pgid: i32) {
    live_groups().remove(&pgid);
}
