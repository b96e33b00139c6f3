//! Exit codes, documented in the README and `concur --help`.

use std::process::ExitCode;

/// Every graded exercise passed (or the command succeeded).
pub const OK: u8 = 0;
/// Some exercise failed its checks (or `dev check` found problems).
pub const FAILED: u8 = 1;
/// The command line or the course is wrong.
pub const USAGE: u8 = 2;
/// concur itself could not work: toolchain missing, files unreadable, cargo broken.
pub const INTERNAL: u8 = 3;
/// Interrupted by Ctrl-C.
pub const INTERRUPTED: u8 = 130;

pub fn code(code: u8) -> ExitCode {
    ExitCode::from(code)
}
