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
    let mut out = anstream::stdout();
    let code = match &cli.command {
        Command::Watch(args) => watch::run(&course()?, args)?,
        Command::Verify(args) => commands::verify::run(&course()?, args, &mut out)?,
        Command::Run(args) => commands::run::run(&course()?, args, &mut out)?,
        Command::Hint(args) => commands::hint::run(&course()?, args, &mut out)?,
        Command::List => commands::list::run(&course()?, &mut out)?,
        Command::Reset(args) => commands::reset::run(&course()?, args, &mut out)?,
        Command::Serve(args) => commands::serve::run(args, &mut out)?,
        Command::Init(args) => commands::init::run(args, &mut out)?,
        Command::Grade(args) => commands::grade::run(&grading_course()?, args, &mut out)?,
        Command::Dev(DevCommand::Check) => commands::dev_check::run(&course()?, &mut out)?,
        Command::Doctor => commands::doctor::run(course().ok().as_ref(), &mut out)?,
    };
    out.flush()?;
    Ok(code)
}
