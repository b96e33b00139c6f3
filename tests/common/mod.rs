//! Shared helpers for concur's integration tests: fixture courses copied to a temporary
//! folder, the `concur` binary pointed at one shared exercise build cache, and a scan for
//! processes a run left behind.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use assert_cmd::Command;

/// Every test that builds exercises shares this target directory, so the dependency set is
/// compiled once for the whole test run.
pub fn exercise_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("concur-exercises")
}

/// Serialises tests that grade: timing checks must not compete for the two cores.
pub fn grading_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Copies `tests/fixtures/<name>` (or any folder) into a fresh temporary directory.
pub fn copy_course(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(from, tmp.path());
    tmp
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == ".concur" || name == "target" || name == ".git" {
            continue;
        }
        let dest = to.join(&name);
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

/// `concur` with colour off, in `course`, using the shared exercise cache.
pub fn concur(course: &Path) -> Command {
    let mut cmd = Command::cargo_bin("concur").expect("the concur binary is built");
    cmd.current_dir(course)
        .env("NO_COLOR", "1")
        .env("CONCUR_TARGET_DIR", exercise_target_dir())
        .env_remove("CONCUR_COURSE")
        .timeout(std::time::Duration::from_secs(900));
    cmd
}

/// Pids of live processes whose command line contains `marker`.
pub fn processes_with(marker: &str) -> Vec<u32> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        let state = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let zombie = state
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
        if text.contains(marker) && !zombie {
            found.push(pid);
        }
    }
    found
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The time printed after each check's name ("✗ finishes  2.00s", "✓ adds  4ms").
pub fn check_times(text: &str) -> Vec<Duration> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            (l.starts_with("✓ ") || l.starts_with("✗ ")).then_some(l)?;
            let last = l.rsplit("  ").next()?;
            if let Some(ms) = last.strip_suffix("ms") {
                ms.parse::<u64>().ok().map(Duration::from_millis)
            } else {
                last.strip_suffix('s')?
                    .parse::<f64>()
                    .ok()
                    .map(Duration::from_secs_f64)
            }
        })
        .collect()
}
