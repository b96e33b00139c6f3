//! The Unix system calls behind the sandbox: signalling a process group, waiting for the
//! main process with its resource usage, reaping and counting what is left of a group.
//!
//! In: a pid / process-group id. Out: decoded exits, CPU time, counts of live processes.
//!
//! A note on pgid reuse, because every function here signals a group by number: the kernel
//! does not hand out a pid that is still in use as a process-group id, so while any member
//! of the group exists the number is ours. Once the group is empty, `killpg` fails with
//! ESRCH and the loops here stop signalling it.

use std::collections::HashSet;
use std::io;
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{killpg, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::Exit;

/// Makes concur the reaper of its orphaned descendants (Linux), once per process.
///
/// Without it, a grandchild whose parent exited is re-parented to init: we could still kill
/// it through its process group, but its exit would be someone else's to collect and its
/// pipes could keep our readers waiting. As subreaper we reap it ourselves.
pub(crate) fn ensure_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static SUBREAPER: std::sync::Once = std::sync::Once::new();
        SUBREAPER.call_once(|| {
            // SAFETY: PR_SET_CHILD_SUBREAPER takes an integer flag and touches no memory.
            // Failure only loses the re-parenting; the group kill still works, so it is ignored.
            unsafe {
                libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
            }
        });
    }
}

/// Sends `signal` to every process of the group; a group that is already gone is fine.
pub(crate) fn signal_group(pgid: i32, signal: Signal) {
    let _ = killpg(Pid::from_raw(pgid), signal);
}

/// True while any process (a zombie included) still belongs to the group.
pub(crate) fn group_exists(pgid: i32) -> bool {
    // EPERM means a member exists but we may not signal it (it changed credentials).
    !matches!(killpg(Pid::from_raw(pgid), None), Err(Errno::ESRCH))
}

/// Blocks until `pid` ends, reaping it, and returns how it ended and its CPU time.
///
/// `wait4` rather than `Child::wait` because only `wait4` returns the rusage of exactly this
/// child; CPU time is what tells a deadlock (idle) from an endless loop (busy).
pub(crate) fn wait_for(pid: i32) -> io::Result<(Exit, Duration)> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value that wait4 overwrites.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both out-pointers point to live, writable locals.
        let ret = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if ret == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let exit = if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    let cpu = timeval(usage.ru_utime) + timeval(usage.ru_stime);
    Ok((exit, cpu))
}

fn timeval(tv: libc::timeval) -> Duration {
    let secs = u64::try_from(tv.tv_sec).unwrap_or(0);
    let micros = u32::try_from(tv.tv_usec).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(micros.into())
}

/// Reaps every already-exited child of ours in the group, without blocking.
pub(crate) fn reap_exited(pgid: i32) {
    loop {
        match waitpid(Pid::from_raw(-pgid), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => return,
            Ok(_) | Err(Errno::EINTR) => continue,
            // ECHILD: no child of ours is left in the group.
            Err(_) => return,
        }
    }
}

/// SIGKILLs the group and reaps its members until it is gone or `limit` passes.
///
/// Polls with `WNOHANG` instead of blocking in `waitpid` so the deadline holds even for a
/// process stuck in uninterruptible sleep. Returns whether the group is gone.
pub(crate) fn kill_and_reap(pgid: i32, limit: Duration) -> bool {
    signal_group(pgid, Signal::SIGKILL);
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_millis(1);
    loop {
        reap_exited(pgid);
        // Members whose parent is another member become our children (subreaper) only when
        // that parent dies, so "no child left" is not enough: wait for the group to be empty.
        if !group_exists(pgid) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// The live (not zombie) processes of the group, by pid.
#[cfg(target_os = "linux")]
pub(crate) fn group_members(pgid: i32) -> HashSet<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return stand_in(pgid);
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| live_member(&stat, pgid))
        })
        .collect()
}

/// Without /proc we only know that at least one process is left.
#[cfg(not(target_os = "linux"))]
pub(crate) fn group_members(pgid: i32) -> HashSet<i32> {
    stand_in(pgid)
}

/// The group's own number for "at least one member", when members cannot be listed.
fn stand_in(pgid: i32) -> HashSet<i32> {
    group_exists(pgid).then_some(pgid).into_iter().collect()
}

/// Parses `/proc/<pid>/stat`: `pid (comm) state ppid pgrp …`. The command name may contain
/// spaces and parentheses, so the fields are counted from the last `)`.
#[cfg(target_os = "linux")]
fn live_member(stat: &str, pgid: i32) -> bool {
    let Some(close) = stat.rfind(')') else {
        return false;
    };
    let mut fields = stat[close + 1..].split_whitespace();
    let state = fields.next();
    let pgrp = fields.nth(1).and_then(|f| f.parse::<i32>().ok());
    pgrp == Some(pgid) && !matches!(state, Some("Z" | "X"))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::live_member;

    #[test]
    fn stat_parsing_survives_odd_command_names() {
        assert!(live_member("12 (a) b) S 1 77 77 0", 77));
        assert!(!live_member("12 (sleep) Z 1 77 77 0", 77));
        assert!(!live_member("12 (sleep) S 1 78 78 0", 77));
    }
}
