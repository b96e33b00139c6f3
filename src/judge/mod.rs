//! Judging one built exercise: run each hidden check in the sandbox and decide its outcome.
//!
//! In: a built exercise (test binary, maybe the learner's program), its limits and the folders
//! learner code may not read. Out: an [`ExerciseReport`]. Each check runs in its own process
//! and scratch folder, so a deadlock, a crash or a leaked process is pinned on the check that
//! caused it. By default they run one at a time, so timing checks never compete for the CPU;
//! the exercise's [`Schedule`] may let checks that measure no time, or only waiting work, run
//! side by side, but a check that measures the CPU always runs alone.
//!
//! The evidence of a pass is the record the check's harness sends on its channel (see the
//! kit's `harness`), carrying the secret concur wrote into that channel for this run alone;
//! neither the exit status nor anything printed counts.

pub mod libtest;
mod schedule;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use concur_kit::harness::{self, Message, CHANNEL_FD_ENV, SECRET_LEN};

use crate::compile::Built;
use crate::course::{Exercise, Schedule};
use crate::outcome::{CheckOutcome, CheckResult, ExerciseOutcome, ExerciseReport};
use crate::sandbox::{self, Echo, Exit, Jail, Limits, Options, RunReport};
use schedule::Work;

/// Environment variable naming the learner's built program, for checks that start it (the
/// kit's, which reads it).
pub use concur_kit::process::PROGRAM_ENV;

/// Below this share of CPU time over wall time, a timed-out run counts as idle (deadlocked).
const IDLE_CPU_SHARE: f64 = 0.2;

/// The most a check may send concur on its channel (pictures and measurements included).
const CHANNEL_CAP: u64 = 16 << 20;

/// What learner code may not read, whichever check runs it.
#[derive(Clone, Debug, Default)]
pub struct Confinement {
    pub hidden: Vec<PathBuf>,
    /// The job each check run belongs to, so the driver can stop them all.
    pub job: Option<sandbox::Job>,
    /// The seed the checks draw their inputs from (`verify --seed N` replays a run); by
    /// default each check draws a fresh one.
    pub seed: Option<u64>,
}

/// One exercise to judge: its display path and what its build gave (`None`: nothing was
/// built, and the caller knows why).
pub struct Entry<'a> {
    pub ex: &'a Exercise,
    pub path: String,
    pub built: Option<&'a Built>,
}

/// Judges `entries`, scheduling their checks together (see [`schedule`]), and calls
/// `done(i, report)` in entry order as each verdict is known (`None` for an entry with nothing
/// built); `checking(ex)` says whose checks are being waited for. Feedback names files
/// relative to the first of `roots` they lie below (where the learner works, the build
/// folder, …), so no cache path reaches the learner.
pub fn exercises(
    entries: &[Entry],
    roots: &[PathBuf],
    confinement: &Confinement,
    mut checking: impl FnMut(&Exercise),
    mut done: impl FnMut(usize, Option<ExerciseReport>),
) {
    let plans: Vec<Plan> = entries.iter().map(|e| plan(e, confinement)).collect();
    let work: Vec<Option<Work>> = plans
        .iter()
        .map(|p| match p {
            Plan::Run { work, .. } => Some(work.clone()),
            _ => None,
        })
        .collect();
    let waiting_for = |from: usize| {
        plans[from..]
            .iter()
            .position(|p| matches!(p, Plan::Run { .. }))
    };
    if let Some(first) = waiting_for(0) {
        checking(entries[first].ex);
    }
    let stopped = || {
        confinement
            .job
            .as_ref()
            .is_some_and(sandbox::Job::is_cancelled)
    };
    let check = |i: usize, name: &str| match &plans[i] {
        Plan::Run {
            tests,
            program,
            limits,
            ..
        } => run_check(tests, name, program.as_deref(), confinement, limits),
        _ => unreachable!("only exercises with work have checks"),
    };
    schedule::run(&work, check, stopped, |i, finished| {
        let entry = &entries[i];
        let (outcome, duration) = match (&plans[i], finished) {
            (Plan::Nothing, _) => return done(i, None),
            (Plan::Now(outcome), _) => (outcome.clone(), Duration::ZERO),
            (Plan::Run { .. }, Some(f)) => (ExerciseOutcome::Checked { checks: f.checks }, f.wall),
            (Plan::Run { .. }, None) => unreachable!("an exercise with work finishes with results"),
        };
        done(
            i,
            Some(ExerciseReport {
                name: entry.ex.name.clone(),
                path: entry.path.clone(),
                outcome: relative_messages(outcome, roots),
                duration,
                unchanged: false,
            }),
        );
        if let Some(next) = waiting_for(i + 1) {
            checking(entries[i + 1 + next].ex);
        }
    });
}

/// What judging one exercise takes.
enum Plan {
    /// Nothing was built.
    Nothing,
    /// The verdict is known without running anything.
    Now(ExerciseOutcome),
    /// Its checks run.
    Run {
        work: Work,
        tests: PathBuf,
        program: Option<PathBuf>,
        limits: Limits,
    },
}

fn plan(entry: &Entry, confinement: &Confinement) -> Plan {
    let ex = entry.ex;
    let not_gradable = |reason: String| Plan::Now(ExerciseOutcome::NotGradable { reason });
    let (tests, program) = match entry.built {
        None => return Plan::Nothing,
        Some(Built::CompileError {
            first_error,
            errors,
        }) => {
            return Plan::Now(ExerciseOutcome::CompileError {
                first_error: first_error.clone(),
                errors: *errors,
            })
        }
        Some(Built::Program(_)) => {
            return not_gradable("only its program was built, not its checks".into())
        }
        Some(Built::Checks { tests, program }) => (tests, program),
    };
    let names = match list_checks(tests, confinement) {
        Ok(names) if names.is_empty() => {
            return not_gradable(format!(
                "the hidden check file of `{}` has no #[test] checks",
                ex.name
            ))
        }
        Ok(names) => names,
        Err(reason) => return not_gradable(reason),
    };
    if let Schedule::SideBySide { alone } = &ex.schedule {
        if let Some(unknown) = alone.iter().find(|a| !names.contains(a)) {
            return not_gradable(format!(
                "info.toml runs `{unknown}` alone, but `{}` has no check of that name",
                ex.name
            ));
        }
    }
    Plan::Run {
        work: Work {
            checks: names,
            schedule: ex.schedule.clone(),
        },
        tests: tests.clone(),
        program: program.clone(),
        limits: Limits {
            wall: ex.timeout,
            ..Limits::default()
        },
    }
}

/// Feedback names files relative to the course, as the learner sees them.
fn relative_messages(outcome: ExerciseOutcome, roots: &[PathBuf]) -> ExerciseOutcome {
    let roots: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
    let relative = |text: &mut String| *text = crate::course::relative_in_text(text, &roots);
    match outcome {
        ExerciseOutcome::Checked { checks } => ExerciseOutcome::Checked {
            checks: checks
                .into_iter()
                .map(|mut check| {
                    match &mut check.outcome {
                        CheckOutcome::Failed { message } => relative(message),
                        CheckOutcome::Crashed { detail, .. } => relative(detail),
                        _ => {}
                    }
                    check
                })
                .collect(),
        },
        other => other,
    }
}

/// The checks in a test binary: remembered beside it, keyed by its size and modification
/// time, so an unchanged binary is not started just to list them again.
fn list_checks(tests: &Path, confinement: &Confinement) -> Result<Vec<String>, String> {
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
    let names = list_checks_by_running(tests, confinement)?;
    if let Some(key) = key {
        // Without the cache the checks are listed again next time, nothing worse.
        let text = format!("{key}\n{}", names.join("\n"));
        let _ = crate::files::write_atomically(&cache, text.as_bytes());
    }
    Ok(names)
}

fn list_checks_by_running(tests: &Path, confinement: &Confinement) -> Result<Vec<String>, String> {
    let mut cmd = Command::new(tests);
    cmd.args(["--list", "--format", "terse"]);
    let limits = Limits {
        wall: Duration::from_secs(10),
        ..Limits::default()
    };
    let scratch =
        sandbox::scratch().map_err(|e| format!("could not make a scratch folder: {e}"))?;
    let options = Options {
        limits,
        jail: Some(jail(scratch.path(), tests, None, confinement)),
        job: confinement.job.clone(),
        ..Options::default()
    };
    let report =
        sandbox::run_with(cmd, options).map_err(|e| format!("could not start the checks: {e}"))?;
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

/// The jail of one run of `tests`: its scratch folder, its own binaries, nothing hidden.
fn jail(scratch: &Path, tests: &Path, program: Option<&Path>, confinement: &Confinement) -> Jail {
    Jail {
        scratch: scratch.to_path_buf(),
        programs: std::iter::once(tests)
            .chain(program)
            .map(Path::to_path_buf)
            .collect(),
        hidden: confinement.hidden.clone(),
        shared_network: false,
    }
}

fn run_check(
    tests: &Path,
    name: &str,
    program: Option<&Path>,
    confinement: &Confinement,
    limits: &Limits,
) -> CheckResult {
    let started = Instant::now();
    let (outcome, output, messages) = match run_confined(tests, name, program, confinement, limits)
    {
        Ok((report, secret, messages)) => {
            let output = combined_output(&report);
            let outcome = decide(&report, &messages, &secret, name, limits);
            (outcome, output, messages)
        }
        Err(e) => (
            CheckOutcome::Crashed {
                signal: None,
                code: None,
                detail: format!("concur could not run the check: {e}"),
            },
            String::new(),
            Vec::new(),
        ),
    };
    let timeline = messages.iter().rev().find_map(|m| match m {
        Message::Timeline(published) => Some(published.clone()),
        _ => None,
    });
    let measurement = messages.iter().rev().find_map(|m| match m {
        Message::Measured(measured) => Some(measured.clone()),
        _ => None,
    });
    let seed = messages.iter().rev().find_map(|m| match m {
        Message::Seed { seed } => Some(*seed),
        _ => None,
    });
    CheckResult {
        name: name.to_string(),
        outcome,
        duration: started.elapsed(),
        output,
        timeline,
        measurement,
        seed,
    }
}

/// Runs one check in a scratch folder of its own, with a fresh secret waiting in its channel.
/// Returns what the sandbox saw, the secret, and what the check sent.
fn run_confined(
    tests: &Path,
    name: &str,
    program: Option<&Path>,
    confinement: &Confinement,
    limits: &Limits,
) -> std::io::Result<(RunReport, [u8; SECRET_LEN], Vec<Message>)> {
    let scratch = sandbox::scratch()?;
    let mut secret = [0u8; SECRET_LEN];
    getrandom::fill(&mut secret).map_err(|e| std::io::Error::other(e.to_string()))?;
    // Both ends are close-on-exec; the sandbox hands the check's end to the check alone.
    let (mut ours, theirs) = UnixStream::pair()?;
    ours.write_all(&secret)?;
    let fd = std::os::fd::AsRawFd::as_raw_fd(&theirs);

    let mut cmd = Command::new(tests);
    cmd.arg("--exact")
        .arg(format!("{}{name}", libtest::CHECK_MODULE))
        .args(["--test-threads=1", "--nocapture", "--color=never"])
        .env(CHANNEL_FD_ENV, fd.to_string())
        .env(
            concur_kit::witness::SOCKET_ENV,
            scratch.path().join("work.sock"),
        );
    if let Some(program) = program {
        cmd.env(PROGRAM_ENV, program);
    }
    if let Some(seed) = confinement.seed {
        cmd.env(concur_kit::seed::SEED_ENV, seed.to_string());
    }
    // The check may write more than a socket buffer holds, so its channel is read meanwhile.
    ours.set_read_timeout(Some(limits.wall + limits.grace + Duration::from_secs(5)))?;
    let reader = std::thread::Builder::new()
        .name("concur-check-channel".into())
        .spawn(move || {
            let mut text = String::new();
            let _ = ours.take(CHANNEL_CAP).read_to_string(&mut text);
            text
        })?;
    let options = Options {
        limits: limits.clone(),
        echo: Echo::Quiet,
        jail: Some(jail(scratch.path(), tests, program, confinement)),
        inherit: Some(theirs.into()),
        job: confinement.job.clone(),
    };
    let report = sandbox::run_with(cmd, options)?;
    let text = reader.join().unwrap_or_default();
    Ok((report, secret, harness::parse(&text)))
}

/// Turns what the sandbox saw and what the check sent into the check's outcome. Only a pass
/// record naming this check and carrying this run's secret is evidence of a pass.
pub fn decide(
    report: &RunReport,
    messages: &[Message],
    secret: &[u8],
    name: &str,
    limits: &Limits,
) -> CheckOutcome {
    let stderr = String::from_utf8_lossy(&report.stderr).into_owned();
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
    let expected = harness::hex(secret);
    let records: Vec<(&str, &str)> = messages
        .iter()
        .filter_map(|m| match m {
            Message::Pass { check, secret } => Some((check.as_str(), secret.as_str())),
            _ => None,
        })
        .collect();
    if records.iter().any(|(_, s)| *s != expected) {
        return CheckOutcome::Failed {
            message: FORGED_RECORD.to_string(),
        };
    }
    let passed = records
        .iter()
        .any(|(check, _)| libtest::names_check(check, name));
    match report.exit {
        Exit::Code(0) if passed && report.leaked > 0 => CheckOutcome::LeftProcessRunning {
            count: report.leaked,
        },
        Exit::Code(0) if passed => CheckOutcome::Passed,
        Exit::Code(libtest::FAILED_EXIT) if !passed => CheckOutcome::Failed {
            message: libtest::panic_message(&stderr, name)
                .unwrap_or_else(|| "the check failed without a message".to_string()),
        },
        exit => crashed(exit, &stderr, name, limits),
    }
}

/// When something other than the check's harness wrote a pass record.
const FORGED_RECORD: &str = "concur's channel to this check carried a pass record concur \
                             never issued: something other than the check wrote to it";

fn crashed(exit: Exit, stderr: &str, name: &str, limits: &Limits) -> CheckOutcome {
    let gib = limits.memory_bytes as f64 / f64::from(1u32 << 30);
    let out_of_memory = stderr
        .contains("memory allocation of")
        .then(|| format!("ran out of memory: the program may use at most {gib:.0} GiB"));
    // A crash often follows a panic (a panic while panicking aborts): its message is what the
    // learner can act on.
    let last_panic = libtest::panic_message(stderr, name)
        .map(|message| format!("\nthe last panic before it: {message}"))
        .unwrap_or_default();
    match exit {
        Exit::Signal(signal) => CheckOutcome::Crashed {
            signal: Some(signal),
            code: None,
            detail: out_of_memory
                .unwrap_or_else(|| format!("{}{last_panic}", signal_meaning(signal))),
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
    let stderr = String::from_utf8_lossy(&report.stderr).into_owned();
    if !stderr.trim().is_empty() {
        text.push_str(&stderr);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(exit: Exit) -> RunReport {
        RunReport {
            exit,
            stdout: Vec::new(),
            stderr: Vec::new(),
            output_exceeded: false,
            timed_out: false,
            wall: Duration::from_millis(5),
            cpu: Duration::ZERO,
            leaked: 0,
            interrupted: false,
            pgid: 1,
        }
    }

    fn pass(check: &str, secret: &[u8]) -> Message {
        Message::Pass {
            check: check.into(),
            secret: harness::hex(secret),
        }
    }

    #[test]
    fn only_a_record_with_this_runs_secret_is_a_pass() {
        let limits = Limits::default();
        let secret = [7u8; SECRET_LEN];
        let ok = report(Exit::Code(0));
        let good = pass("overlap::checks::a", &secret);
        assert_eq!(
            decide(&ok, std::slice::from_ref(&good), &secret, "a", &limits),
            CheckOutcome::Passed
        );
        // No record: an early exit(0) proves nothing.
        assert!(matches!(
            decide(&ok, &[], &secret, "a", &limits),
            CheckOutcome::Crashed { .. }
        ));
        // A record for another check.
        assert!(matches!(
            decide(
                &ok,
                &[pass("overlap::checks::b", &secret)],
                &secret,
                "a",
                &limits
            ),
            CheckOutcome::Crashed { .. }
        ));
        // A record with a guessed secret fails the check outright, even beside a good one.
        let forged = pass("overlap::checks::a", &[0u8; SECRET_LEN]);
        assert_eq!(
            decide(&ok, &[forged, good.clone()], &secret, "a", &limits),
            CheckOutcome::Failed {
                message: FORGED_RECORD.into()
            }
        );
        // A pass followed by a crash is a crash.
        assert!(matches!(
            decide(&report(Exit::Signal(9)), &[good], &secret, "a", &limits),
            CheckOutcome::Crashed { .. }
        ));
    }

    #[test]
    fn feedback_names_files_as_the_learner_sees_them_not_by_cache_paths() {
        let cache = PathBuf::from("/home/l/.cache/concur/course-ab12/.concur/target/debug");
        let home = PathBuf::from("/home/l/ws");
        let check = |outcome| CheckResult::bare("c", outcome);
        let outcome = ExerciseOutcome::Checked {
            checks: vec![
                check(CheckOutcome::Failed {
                    message: format!(
                        "{}/exercises-worker_crash-0f3a exited; see {}/exercises/x.rs",
                        cache.display(),
                        home.display()
                    ),
                }),
                check(CheckOutcome::Crashed {
                    signal: Some(6),
                    code: None,
                    detail: format!("aborted in {}/programs/x", cache.display()),
                }),
            ],
        };
        let ExerciseOutcome::Checked { checks } = relative_messages(outcome, &[cache, home]) else {
            panic!("still checked");
        };
        let texts: Vec<String> = checks.iter().map(|c| format!("{:?}", c.outcome)).collect();
        assert!(texts[0].contains("exercises-worker_crash-0f3a exited; see exercises/x.rs"));
        assert!(texts[1].contains("aborted in programs/x"));
        assert!(texts.iter().all(|t| !t.contains(".cache")), "{texts:?}");
    }

    #[test]
    fn an_abort_after_a_panic_says_what_the_panic_said() {
        let mut aborted = report(Exit::Signal(libc::SIGABRT));
        aborted.stderr = format!(
            "thread '{}a' panicked at src/x.rs:3:5:\nthe worker pool was dropped twice\n\
             note: run with `RUST_BACKTRACE=1`\nthread caused non-unwinding panic. aborting.\n",
            libtest::CHECK_MODULE
        )
        .into_bytes();
        let CheckOutcome::Crashed { detail, .. } =
            decide(&aborted, &[], &[7u8; SECRET_LEN], "a", &Limits::default())
        else {
            panic!("a crash");
        };
        assert!(detail.starts_with("aborted (SIGABRT)"), "{detail}");
        assert!(
            detail.contains("the last panic before it: the worker pool was dropped twice"),
            "{detail}"
        );
    }
}
