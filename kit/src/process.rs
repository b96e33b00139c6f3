//! Checks about the learner's processes: where their program is, and that none was leaked.
//!
//! concur builds the learner's program and passes its path in [`PROGRAM_ENV`]; process
//! exercises' checks run it from there. [`assert_no_children`] proves the learner's function
//! waited for every child it started.
//! In: the environment, the process table. Out: a path, or a panic saying what was found.

use std::path::PathBuf;

/// Environment variable holding the path of the learner's program built by concur.
pub const PROGRAM_ENV: &str = "CONCUR_EXERCISE_BIN";

const PROGRAM_ENV_MISSING: &str = "CONCUR_EXERCISE_BIN is not set: this check runs your \
                                   exercise's program, which concur builds and names in that \
                                   variable — run the check through `concur`, not plain `cargo test`";

/// The learner's program built by concur. Panics with an explanation if [`PROGRAM_ENV`] is unset.
#[track_caller]
pub fn exercise_program() -> PathBuf {
    match std::env::var_os(PROGRAM_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => panic!("{PROGRAM_ENV_MISSING}"),
    }
}

/// Panics if this process has a child that was never waited for (a zombie) or is still running.
///
/// Reaps one zombie while looking (`waitpid(-1, WNOHANG)`), so call it once, after the learner's
/// function returned, in a test binary whose other tests start no processes.
#[cfg(unix)]
#[track_caller]
pub fn assert_no_children() {
    let mut status = 0;
    // SAFETY: waitpid only writes the status int we pass; -1 means "any child".
    let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
    match pid {
        p if p > 0 => panic!(
            "a child process (pid {p}) ended but was never waited for (a zombie): call wait() on \
             every Child"
        ),
        0 => panic!(
            "a child process is still running after your function returned: wait for every worker"
        ),
        _ => {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::ECHILD) {
                panic!("could not check for leftover child processes: waitpid failed: {err}");
            }
        }
    }
}
