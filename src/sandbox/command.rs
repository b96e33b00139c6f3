//! Prepares a caller's `Command` for the sandbox.
//!
//! In: the command as the caller built it, and the limits. Out: the same command with
//! closed stdin, piped output, its own process group, the sandbox environment and the
//! resource limits applied in the child before `exec`.

use std::ffi::{OsStr, OsString};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use super::limits::{self, Limits};

/// Loopback hosts that must never go through a proxy: the mock API listens on 127.0.0.1,
/// and a learner's HTTP client honouring a system proxy would otherwise fail its checks.
const LOOPBACK_HOSTS: &str = "127.0.0.1,localhost,::1";

pub(crate) fn prepare(cmd: &mut Command, limits: &Limits) {
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
    let setup = limits::child_setup(limits);
    // SAFETY: `child_setup` only calls getrlimit/setrlimit, which are async-signal-safe and
    // therefore allowed between fork and exec.
    unsafe {
        cmd.pre_exec(setup);
    }
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
