//! Grading one exercise: run each hidden check in the sandbox and decide its outcome.
//!
//! In: a built exercise (test binary, maybe the learner's program) and its limits. Out: an
//! [`ExerciseReport`]. Each check runs in its own process, one at a time, so a deadlock, a
//! crash or a leaked process is pinned on the check that caused it and timing checks never
//! compete with each other for the CPU.

pub mod libtest;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::build::Built;
use crate::course::Exercise;
use crate::outcome::{CheckOutcome, CheckResult, ExerciseOutcome, ExerciseReport};
use crate::sandbox::{self, Echo, Exit, Limits, RunReport};

/// Environment variable naming the learner's built program, for checks that start it.
pub const PROGRAM_ENV: &str = "CONCUR_EXERCISE_BIN";

/// Below this share of CPU time over wall time, a timed-out run counts as idle (deadlocked).
const IDLE_CPU_SHARE: f64 = 0.2;

/// Runs the checks of a built exercise and returns its report.
pub fn grade(
    ex: &Exercise,
    path: String,
    built: &Built,
    cwd: &Path,
    build_time: Duration,
) -> ExerciseReport {
    let started = Instant::now();
    let outcome = match built {
        Built::CompileError {
            first_error,
            errors,
        } => ExerciseOutcome::CompileError {
            first_error: first_error.clone(),
            errors: *errors,
        },
        Built::Ready { tests, program } => run_checks(ex, tests, program.as_deref(), cwd),
    };
    let outcome = relative_messages(outcome, cwd);
    ExerciseReport {
        name: ex.name.clone(),
        path,
        outcome,
        duration: build_time + started.elapsed(),
        unchanged: false,
    }
}

/// Feedback names files relative to the course, as the learner sees them.
fn relative_messages(outcome: ExerciseOutcome, root: &Path) -> ExerciseOutcome {
    let prefix = format!("{}/", root.display());
    match outcome {
        ExerciseOutcome::Checked { checks } => ExerciseOutcome::Checked {
            checks: checks
                .into_iter()
                .map(|mut check| {
                    if let CheckOutcome::Failed { message } = &mut check.outcome {
                        *message = message.replace(&prefix, "");
                    }
                    check
                })
                .collect(),
        },
        other => other,
    }
}

fn run_checks(ex: &Exercise, tests: &Path, program: Option<&Path>, cwd: &Path) -> ExerciseOutcome {
    let names = match list_checks(tests, cwd) {
        Ok(names) if names.is_empty() => {
            return ExerciseOutcome::NotGradable {
                reason: format!(
                    "the hidden check file of `{}` has no #[test] checks",
                    ex.name
                ),
            }
        }
        Ok(names) => names,
        Err(reason) => return ExerciseOutcome::NotGradable { reason },
    };
    let limits = Limits {
        wall: ex.timeout,
        ..Limits::default()
    };
    let checks = if ex.parallel {
        run_in_parallel(&names, |name| run_check(tests, name, program, cwd, &limits))
    } else {
        names
            .iter()
            .map(|name| run_check(tests, name, program, cwd, &limits))
            .collect()
    };
    ExerciseOutcome::Checked { checks }
}

/// Runs `check` on every name, as many at once as there are cores; results in name order.
fn run_in_parallel(
    names: &[String],
    check: impl Fn(&str) -> CheckResult + Sync,
) -> Vec<CheckResult> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![None; names.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(names.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(name) = names.get(i) else { break };
                let result = check(name);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every check ran"))
        .collect()
}

/// The checks in a test binary: remembered beside it, keyed by its size and modification
/// time, so an unchanged binary is not started just to list them again.
fn list_checks(tests: &Path, cwd: &Path) -> Result<Vec<String>, String> {
    let mut cache = tests.as_os_str().to_owned();
    cache.push(".concur-checks");
    let cache = std::path::PathBuf::from(cache);
    let key = crate::files::stamp(tests).map(|(len, modified)| format!("{len} {modified}"));
    if let (Some(key), Ok(text)) = (&key, std::fs::read_to_string(&cache)) {
        if let Some((first, names)) = text.split_once('\n') {
            if first == key {
                return Ok(names.lines().map(str::to_string).collect());
            }
        }
    }
    let names = list_checks_by_running(tests, cwd)?;
    if let Some(key) = key {
        let _ = std::fs::write(&cache, format!("{key}\n{}", names.join("\n")));
    }
    Ok(names)
}

fn list_checks_by_running(tests: &Path, cwd: &Path) -> Result<Vec<String>, String> {
    let mut cmd = Command::new(tests);
    cmd.args(["--list", "--format", "terse"]).current_dir(cwd);
    let limits = Limits {
        wall: Duration::from_secs(10),
        ..Limits::default()
    };
    let report = sandbox::run(cmd, &limits, Echo::Quiet)
        .map_err(|e| format!("could not start the checks: {e}"))?;
    if report.exit != Exit::Code(0) {
        return Err(format!(
            "listing the checks failed ({:?}): {}",
            report.exit,
            String::from_utf8_lossy(&report.stderr).trim()
        ));
    }
    Ok(libtest::parse_list(&String::from_utf8_lossy(
        &report.stdout,
    )))
}

fn run_check(
    tests: &Path,
    name: &str,
    program: Option<&Path>,
    cwd: &Path,
    limits: &Limits,
) -> CheckResult {
    let started = Instant::now();
    let scratch = tempfile::tempdir();
    let result = (|| -> std::io::Result<(RunReport, String)> {
        let scratch = scratch
            .as_ref()
            .map_err(|e| std::io::Error::new(e.kind(), e.to_string()))?;
        let log = scratch.path().join("results.log");
        let pictures = scratch.path().join("timelines");
        std::fs::create_dir_all(&pictures)?;
        let mut cmd = Command::new(tests);
        cmd.arg("--exact")
            .arg(format!("{}{name}", libtest::CHECK_MODULE))
            .args(["--test-threads=1", "--nocapture", "--color=never"])
            .arg("--logfile")
            .arg(&log)
            .env(concur_kit::publish::TIMELINE_DIR_ENV, &pictures)
            .current_dir(cwd);
        if let Some(program) = program {
            cmd.env(PROGRAM_ENV, program);
        }
        let report = sandbox::run(cmd, limits, Echo::Quiet)?;
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        Ok((report, log_text))
    })();
    let (outcome, output) = match result {
        Ok((report, log)) => {
            let output = combined_output(&report);
            (decide(&report, &log, name, limits), output)
        }
        Err(e) => (
            CheckOutcome::Crashed {
                signal: None,
                code: None,
                detail: format!("concur could not run the check: {e}"),
            },
            String::new(),
        ),
    };
    // `scratch` stays alive until both are read: dropping it deletes the folder.
    let scratch = scratch.ok();
    let published = scratch.as_ref().map(|dir| dir.path().join("timelines"));
    let timeline = published
        .as_deref()
        .and_then(|dir| concur_kit::publish::load(dir).pop());
    let measurement = published
        .as_deref()
        .and_then(|dir| concur_kit::experiment::load(dir).pop());
    CheckResult {
        name: name.to_string(),
        outcome,
        duration: started.elapsed(),
        output,
        timeline,
        measurement,
    }
}

/// Turns what the sandbox saw and what libtest logged into the check's outcome.
pub fn decide(report: &RunReport, log: &str, name: &str, limits: &Limits) -> CheckOutcome {
    let stderr = libtest::clean_stderr(&String::from_utf8_lossy(&report.stderr));
    if report.output_exceeded {
        return CheckOutcome::TooMuchOutput {
            limit: limits.output_bytes,
        };
    }
    if report.timed_out {
        let wall = report.wall.as_secs_f64().max(f64::EPSILON);
        return CheckOutcome::TimedOut {
            limit: limits.wall,
            idle: report.cpu.as_secs_f64() / wall < IDLE_CPU_SHARE,
        };
    }
    match (libtest::logged_result(log, name), report.exit) {
        (Some(true), Exit::Code(0)) if report.leaked > 0 => CheckOutcome::LeftProcessRunning {
            count: report.leaked,
        },
        (Some(true), Exit::Code(0)) => CheckOutcome::Passed,
        (Some(false), _) => CheckOutcome::Failed {
            message: libtest::panic_message(&stderr, name)
                .unwrap_or_else(|| "the check failed without a message".to_string()),
        },
        (_, exit) => crashed(exit, &stderr, limits),
    }
}

fn crashed(exit: Exit, stderr: &str, limits: &Limits) -> CheckOutcome {
    let gib = limits.memory_bytes as f64 / f64::from(1u32 << 30);
    let out_of_memory = stderr
        .contains("memory allocation of")
        .then(|| format!("ran out of memory: the program may use at most {gib:.0} GiB"));
    match exit {
        Exit::Signal(signal) => CheckOutcome::Crashed {
            signal: Some(signal),
            code: None,
            detail: out_of_memory.unwrap_or_else(|| signal_meaning(signal).to_string()),
        },
        Exit::Code(code) => CheckOutcome::Crashed {
            signal: None,
            code: Some(code),
            detail: out_of_memory.unwrap_or_else(|| {
                format!(
                    "the program exited with status {code} before the check finished; \
                     does your code call std::process::exit?"
                )
            }),
        },
    }
}

fn signal_meaning(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => "segmentation fault (SIGSEGV): invalid memory access, or a stack overflow",
        libc::SIGABRT => "aborted (SIGABRT): a panic while panicking, or an abort",
        libc::SIGKILL => "killed (SIGKILL)",
        libc::SIGBUS => "bus error (SIGBUS)",
        libc::SIGFPE => "arithmetic error (SIGFPE)",
        libc::SIGILL => "illegal instruction (SIGILL)",
        libc::SIGXFSZ => "wrote a file larger than the limit (SIGXFSZ)",
        libc::SIGPIPE => "wrote to a closed pipe (SIGPIPE)",
        _ => "killed by a signal",
    }
}

fn combined_output(report: &RunReport) -> String {
    let mut text = String::from_utf8_lossy(&report.stdout).into_owned();
    let stderr = libtest::clean_stderr(&String::from_utf8_lossy(&report.stderr));
    if !stderr.trim().is_empty() {
        text.push_str(&stderr);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn result(name: &str) -> CheckResult {
        CheckResult {
            name: name.into(),
            outcome: CheckOutcome::Passed,
            duration: Duration::ZERO,
            output: String::new(),
            timeline: None,
            measurement: None,
        }
    }

    #[test]
    fn parallel_checks_run_at_the_same_time_and_keep_their_order() {
        // Each check waits (up to 10 s) until the other has started: only possible when they
        // run at the same time.
        let started = AtomicUsize::new(0);
        let names = vec!["b".to_string(), "a".to_string()];
        let results = run_in_parallel(&names, |name| {
            started.fetch_add(1, Ordering::SeqCst);
            let deadline = Instant::now() + Duration::from_secs(10);
            while started.load(Ordering::SeqCst) < 2 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
            let mut r = result(name);
            if started.load(Ordering::SeqCst) < 2 {
                r.outcome = CheckOutcome::Failed {
                    message: "ran alone".into(),
                };
            }
            r
        });
        let got: Vec<_> = results
            .iter()
            .map(|r| (r.name.as_str(), r.outcome.is_pass()))
            .collect();
        assert_eq!(got, [("b", true), ("a", true)]);
    }
}
