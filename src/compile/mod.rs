//! Building: cargo compiles the staged package, and its messages become per-exercise results.
//!
//! In: a [`Stage`] and the exercises to build. Out: per exercise, either the test binary (and
//! the learner's program when the checks need it) or the first compile error, rendered with
//! paths relative to the course. The dependency set is built once per target directory, with
//! progress shown, before any exercise build. An exercise that denies clippy lints is linted
//! by clippy once it builds (see [`clippy`]). After each cargo build, only the crates built
//! last keep rustc's incremental state (see [`prune`]).

mod clippy;
mod deps;
mod fresh;
pub mod messages;
mod prune;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::course::Exercise;
use crate::sandbox::{self, Job, Priority};
use crate::stage::Stage;
use messages::{Message, TargetKind};

pub use deps::ensure_dependencies;

/// Prefix of the staged packages' names, which tells their messages from dependencies'.
const PACKAGE_PREFIX: &str = "concur-course-";

/// The result of building one exercise.
#[derive(Debug, Clone)]
pub enum Built {
    /// The checks are built ([`Targets::Checks`]).
    Checks {
        /// The libtest binary holding the learner's code and the hidden checks.
        tests: PathBuf,
        /// The learner's file built as a program, when the checks start it.
        program: Option<PathBuf>,
    },
    /// The learner's program is built ([`Targets::Program`]).
    Program(PathBuf),
    CompileError {
        first_error: String,
        errors: usize,
    },
}

/// How cargo runs for a build: its CPU priority, how long it may take, and the job it
/// belongs to (all owned by the sandbox's process control, as every child is).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub priority: Priority,
    /// Stopped after this long, with a reason (`concur grade`).
    pub limit: Option<std::time::Duration>,
    pub job: Option<Job>,
    /// The exercises are built once and never edited (a class's submissions): no incremental
    /// state, which would only cost time and disk.
    pub once: bool,
}

/// What to build for each exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// The checks, plus the learner's program where the exercise's checks start it.
    Checks,
    /// Only the learner's program (for `concur run`).
    Program,
}

/// Builds `exercises` in one cargo invocation; exercises whose inputs are unchanged since
/// their last successful build are not handed to cargo at all (see [`fresh`]), and when none
/// changed cargo does not start.
pub fn build(
    stage: &Stage,
    exercises: &[&Exercise],
    targets: Targets,
    settings: &Settings,
) -> Result<HashMap<String, Built>> {
    let mut built = HashMap::new();
    let mut stale = Vec::new();
    for ex in exercises {
        match fresh::lookup(stage, ex, targets) {
            Some(result) => {
                built.insert(ex.name.clone(), result);
            }
            None => stale.push(*ex),
        }
    }
    if !stale.is_empty() {
        let results = build_with_cargo(stage, &stale, targets, settings)?;
        prune::incremental(&stage.target_dir);
        for ex in &stale {
            if let Some(result) = results.get(&ex.name) {
                fresh::store(stage, ex, targets, result);
            }
        }
        built.extend(results);
    }
    Ok(built)
}

fn build_with_cargo(
    stage: &Stage,
    exercises: &[&Exercise],
    targets: Targets,
    settings: &Settings,
) -> Result<HashMap<String, Built>> {
    let mut cmd = cargo(stage);
    cmd.args([
        "build",
        "--keep-going",
        // The checks' package and the programs' package (see `stage.rs`).
        "--workspace",
        "--message-format=json-diagnostic-rendered-ansi",
    ]);
    let mut wants_program = HashMap::new();
    for ex in exercises {
        if targets == Targets::Checks {
            cmd.args(["--test", &stage.test_target(ex)]);
        }
        let program =
            (targets == Targets::Program || ex.program) && stage.learner_file(ex).is_file();
        if program {
            cmd.args(["--bin", &stage.bin_target(ex)]);
        }
        wants_program.insert(ex.name.clone(), program);
    }
    if settings.once {
        cmd.env("CARGO_INCREMENTAL", "0");
    }
    let messages = run_cargo(cmd, settings, &mut |_| {})?;

    let errors = errors_by_target(&messages);
    let mut tests = HashMap::new();
    let mut programs = HashMap::new();
    for message in messages {
        match message {
            Message::Artifact {
                target,
                kind: TargetKind::Test,
                executable: Some(exe),
            } => {
                tests.insert(target, exe);
            }
            Message::Artifact {
                target,
                kind: TargetKind::Bin,
                executable: Some(exe),
            } => {
                programs.insert(target, exe);
            }
            _ => {}
        }
    }

    let mut built = HashMap::new();
    for ex in exercises {
        // The checks' target compiles the learner's file too, so its errors come first;
        // the program's errors matter only when the checks compiled.
        let errs = errors
            .get(&stage.test_target(ex))
            .or_else(|| errors.get(&stage.bin_target(ex)));
        let test_exe = match targets {
            Targets::Checks => tests.get(&stage.test_target(ex)),
            Targets::Program => programs.get(&stage.bin_target(ex)),
        };
        let result = match (errs, test_exe) {
            (Some(errs), _) => compile_error(errs, stage),
            (None, Some(exe)) => {
                let program = programs.get(&stage.bin_target(ex)).cloned();
                if wants_program[&ex.name] && program.is_none() {
                    bail!(
                        "cargo built the checks of `{}` but not its program",
                        ex.name
                    );
                }
                match targets {
                    Targets::Checks => Built::Checks {
                        tests: exe.clone(),
                        program,
                    },
                    Targets::Program => Built::Program(exe.clone()),
                }
            }
            (None, None) => bail!(
                "cargo reported neither a binary nor an error for `{}`",
                ex.name
            ),
        };
        built.insert(ex.name.clone(), result);
    }
    let linted: Vec<&Exercise> = exercises
        .iter()
        .copied()
        .filter(|ex| targets == Targets::Checks && ex.denies_clippy_lints())
        .filter(|ex| matches!(built.get(&ex.name), Some(Built::Checks { .. })))
        .collect();
    built.extend(clippy::lint(stage, &linted, settings)?);
    Ok(built)
}

/// cargo's compile errors, per target, in the order cargo gave them.
fn errors_by_target(messages: &[Message]) -> HashMap<String, Vec<String>> {
    let mut errors: HashMap<String, Vec<String>> = HashMap::new();
    for message in messages {
        if let Message::Error { target, rendered } = message {
            errors
                .entry(target.clone())
                .or_default()
                .push(rendered.clone());
        }
    }
    errors
}

/// A target's errors (at least one) as the learner meets them: the first, with paths as the
/// learner sees them, and how many there were.
fn compile_error(errors: &[String], stage: &Stage) -> Built {
    Built::CompileError {
        first_error: relative_paths(&errors[0], stage),
        errors: errors.len(),
    }
}

/// A cargo command for the staged package.
fn cargo(stage: &Stage) -> Command {
    let mut cmd = Command::new(&stage.cargo);
    cmd.current_dir(&stage.dir)
        .env("CARGO_TARGET_DIR", &stage.target_dir)
        // Learner code is built without the caller's flags, so every build shares one cache.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs cargo, calling `on_message` as messages arrive, and returns them all. Fails when
/// cargo itself failed without a compiler error to show (a broken manifest, no network for
/// a first download, …), with cargo's own words.
fn run_cargo(
    cmd: Command,
    settings: &Settings,
    on_message: &mut dyn FnMut(&Message),
) -> Result<Vec<Message>> {
    let spawn = sandbox::Spawn {
        priority: settings.priority,
        job: settings.job.clone(),
    };
    // Tracked: its own process group, killed with its job, and with everything on Ctrl-C.
    let mut child = sandbox::spawn_tracked(cmd, &spawn)
        .context("starting cargo (is the Rust toolchain installed?)")?;
    let mut stderr = child
        .stderr
        .take()
        .context("cargo's stderr was not captured")?;
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = child
        .stdout
        .take()
        .context("cargo's stdout was not captured")?;
    // A watchdog kills the build's group when its time is up; reading then ends at once.
    let limit = settings.limit;
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let pgid = child.pgid();
    let watchdog = limit.map(|limit| {
        std::thread::spawn(move || {
            // Only a timeout: the sender is dropped (disconnected) as soon as cargo ends.
            let expired = matches!(
                done_rx.recv_timeout(limit),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout)
            );
            if expired {
                sandbox::kill_group(pgid);
            }
            expired
        })
    });
    let mut messages = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading cargo's output")?;
        if let Some(message) = messages::parse(&line, PACKAGE_PREFIX) {
            on_message(&message);
            messages.push(message);
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    drop(done_tx);
    if let (Some(watchdog), Some(limit)) = (watchdog, limit) {
        if watchdog.join().unwrap_or(false) {
            bail!(
                "the build took longer than {} and was stopped",
                humantime::format_duration(limit)
            );
        }
    }
    let stderr = err_reader.join().unwrap_or_default();
    let has_errors = messages.iter().any(|m| matches!(m, Message::Error { .. }));
    if !status.success() && !has_errors {
        bail!("cargo failed ({status}):\n{}", stderr.trim_end());
    }
    Ok(messages)
}

/// Rewrites absolute paths below the course root as relative ones.
fn relative_paths(rendered: &str, stage: &Stage) -> String {
    crate::course::relative_in_text(rendered, &[&stage.home])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_over_its_time_limit_is_stopped_with_a_reason() {
        let mut slow = Command::new("sh");
        slow.args(["-c", "sleep 30"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = std::time::Instant::now();
        let within = |millis| Settings {
            limit: Some(std::time::Duration::from_millis(millis)),
            ..Settings::default()
        };
        let result = run_cargo(slow, &within(300), &mut |_| {});
        let error = result.expect_err("stopped");
        assert!(
            error.to_string().contains("took longer than 300ms"),
            "{error}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));

        let mut quick = Command::new("true");
        quick.stdout(Stdio::piped()).stderr(Stdio::piped());
        let ok = run_cargo(quick, &within(30_000), &mut |_| {});
        assert!(
            ok.is_ok(),
            "a build that ends in time is not stopped: {ok:?}"
        );
    }
}
