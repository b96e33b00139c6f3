//! concur: an exercise runner and auto-grader that teaches concurrent programming in Rust.
//!
//! The engine is this library; `main.rs` only parses arguments and calls [`run`]. Data flows
//! one way: course → stage → build → run (sandboxed) → verdict → reporters.

pub mod build;
pub mod cli;
pub mod commands;
pub mod course;
pub mod exit;
pub mod files;
pub mod grade;
pub mod integrity;
pub mod outcome;
pub mod pipeline;
pub mod report;
pub mod sandbox;
pub mod stage;
pub mod state;
pub mod watch;
pub mod workspace;

use std::io::Write;
use std::process::ExitCode;

use anstyle::AnsiColor;

use cli::{Cli, Command, DevCommand};
use course::{Course, CourseError, UnknownExercise};

/// Runs one concur command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    sandbox::install_interrupt_handler();
    match dispatch(&cli) {
        Ok(code) => exit::code(code),
        // The reader went away (`concur list | head`): nothing is wrong, and nothing to say.
        Err(err) if broken_pipe(&err) => exit::code(exit::OK),
        Err(err) => {
            if let Command::Verify(args) = &cli.command {
                let course = Course::locate(
                    cli.course.as_deref(),
                    &std::env::current_dir().unwrap_or_default(),
                )
                .ok()
                .and_then(|root| Course::open(&root).ok());
                commands::verify::write_failure(args, course.as_ref(), &err);
            }
            let red = AnsiColor::Red.on_default().bold();
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "{red}error:{red:#} {err:#}");
            let usage = err.downcast_ref::<CourseError>().is_some()
                || err.downcast_ref::<UnknownExercise>().is_some()
                || err.downcast_ref::<exit::UsageError>().is_some();
            exit::code(if usage { exit::USAGE } else { exit::INTERNAL })
        }
    }
}

/// Stdout for a reader that may stop reading (`concur list | head -1`): once the pipe is
/// closed, output goes nowhere and the command runs to its end, so its exit code still says
/// how it went.
struct ReaderMayLeave<W: std::io::Write>(W);

impl<W: std::io::Write> std::io::Write for ReaderMayLeave<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// Whether `err` comes from writing to a pipe whose reader has gone.
fn broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(cli: &Cli) -> anyhow::Result<u8> {
    // Loaded only by the commands that work on a course (`serve` needs none).
    let course = || -> anyhow::Result<Course> {
        let cwd = std::env::current_dir()?;
        let root = Course::locate(cli.course.as_deref(), &cwd)?;
        Course::open(&root)
    };
    // Grading needs a course but not the learner's: outside any, the one built into concur.
    let grading_course = || -> anyhow::Result<Course> {
        let cwd = std::env::current_dir()?;
        match Course::locate(cli.course.as_deref(), &cwd) {
            Ok(root) => Course::open(&root),
            Err(_) if cli.course.is_none() => {
                Ok(Course::load(&workspace::embedded::materialize()?)?)
            }
            Err(e) => Err(e.into()),
        }
    };
    let mut out = ReaderMayLeave(anstream::stdout());
    let code = match &cli.command {
        Command::Watch(args) => watch::run(&course()?, args)?,
        Command::Verify(args) => commands::verify::run(&course()?, args, &mut out)?,
        Command::Run(args) => commands::run::run(&course()?, args, &mut out)?,
        Command::Hint(args) => commands::hint::run(&course()?, args, &mut out)?,
        Command::List => commands::list::run(&course()?, &mut out)?,
        Command::Reset(args) => commands::reset::run(&course()?, args, &mut out)?,
        Command::Serve(args) => commands::serve::run(args, &mut out)?,
        Command::Init(args) => commands::init::run(args, cli.course.as_deref(), &mut out)?,
        Command::Grade(args) => commands::grade::run(&grading_course()?, args, &mut out)?,
        Command::Dev(DevCommand::Check) => commands::dev_check::run(&course()?, &mut out)?,
        Command::Dev(DevCommand::New(args)) => {
            let root = Course::locate(cli.course.as_deref(), &std::env::current_dir()?)?;
            commands::dev_new::run(&root, args, &mut out)?
        }
        Command::Doctor => commands::doctor::run(course().ok().as_ref(), &mut out)?,
    };
    out.flush()?;
    Ok(code)
}
