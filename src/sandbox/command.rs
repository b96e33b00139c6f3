//! Prepares a caller's `Command` for the sandbox.
//!
//! In: the command as the caller built it, the limits, and optionally a [`Jail`] and a
//! descriptor to pass on. Out: the same command with closed stdin, piped output, its own
//! process group, the sandbox environment, and — applied in the child before `exec` — the
//! inherited descriptor, the resource limits and the jail — and, for a jail with a network
//! namespace, the end on which the child sends that namespace.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::RawFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use super::jail::{self, Jail};
use super::limits::{self, Limits};
use super::netns::Receiver;

/// Loopback hosts that must never go through a proxy: the mock API listens on 127.0.0.1,
/// and a learner's HTTP client honouring a system proxy would otherwise fail its checks.
const LOOPBACK_HOSTS: &str = "127.0.0.1,localhost,::1";

pub(crate) fn prepare(
    cmd: &mut Command,
    limits: &Limits,
    jail: Option<&Jail>,
    inherit: Option<RawFd>,
) -> io::Result<Option<Receiver>> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Own group: the terminal's Ctrl-C does not reach it, and we can kill the whole tree.
        .process_group(0);
    for key in ["NO_PROXY", "no_proxy"] {
        let value = match effective_var(cmd, key) {
            Some(existing) if !existing.is_empty() => {
                let mut joined = existing;
                joined.push(",");
                joined.push(LOOPBACK_HOSTS);
                joined
            }
            _ => OsString::from(LOOPBACK_HOSTS),
        };
        cmd.env(key, value);
    }
    // Backtraces make expected output differ between machines; a caller may still ask for them.
    set_default(cmd, "RUST_BACKTRACE", "0");
    // glibc reserves 64 MiB of address space per malloc arena (up to 8 per core), so under
    // RLIMIT_AS a correct multi-threaded program could die without this.
    set_default(cmd, "MALLOC_ARENA_MAX", "2");
    let (prepared, netns) = match jail {
        Some(jail) => {
            cmd.current_dir(&jail.scratch)
                .env("HOME", &jail.scratch)
                .env("TMPDIR", &jail.scratch);
            let (prepared, netns) = jail::prepare(jail)?;
            (Some(prepared), netns)
        }
        None => (None, None),
    };
    let mut setup = limits::child_setup(limits);
    // SAFETY: everything here is a plain system call — fcntl, getrlimit/setrlimit, and
    // `jail::enter`'s unshare/open/write/ioctl/sendmsg/prctl/landlock — with no allocation or lock, so
    // it is allowed between fork and exec in a multi-threaded parent.
    unsafe {
        cmd.pre_exec(move || {
            if let Some(fd) = inherit {
                // The descriptor was made close-on-exec in concur; this child keeps it.
                if libc::fcntl(fd, libc::F_SETFD, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            setup()?;
            if let Some(prepared) = &prepared {
                jail::enter(prepared)?;
            }
            Ok(())
        });
    }
    Ok(netns)
}

/// The value `key` will have in the child: the command's own setting, else inherited.
fn effective_var(cmd: &Command, key: &str) -> Option<OsString> {
    match explicit_var(cmd, key) {
        Some(value) => value.map(OsStr::to_os_string),
        None => std::env::var_os(key),
    }
}

/// `Some(Some(v))` set on the command, `Some(None)` removed on it, `None` not mentioned.
fn explicit_var<'a>(cmd: &'a Command, key: &str) -> Option<Option<&'a OsStr>> {
    cmd.get_envs()
        .find(|(name, _)| *name == OsStr::new(key))
        .map(|(_, value)| value)
}

fn set_default(cmd: &mut Command, key: &str, value: &str) {
    if explicit_var(cmd, key).is_none() {
        cmd.env(key, value);
    }
}
