//! concur: an exercise runner and auto-grader that teaches concurrent programming in Rust.
//!
//! The engine is this library; `main.rs` only parses arguments and calls [`run`]. Data flows
//! one way: course → stage → build → run (sandboxed) → verdict → reporters.

#[cfg(not(unix))]
compile_error!(
    "concur grades learner code in a Unix sandbox (process groups, resource limits, signals, \
     and on Linux Landlock and namespaces): build it on Linux"
);

pub mod builtin;
pub mod cli;
pub mod commands;
pub mod compile;
pub mod course;
pub mod error;
pub mod exit;
pub mod files;
pub mod integrity;
pub mod judge;
pub mod lang;
pub mod outcome;
pub mod pipeline;
pub mod places;
pub mod report;
pub mod sandbox;
pub mod session;
pub mod stage;
pub mod state;
pub mod watch;
pub mod workspace;

use std::io::Write;
use std::process::ExitCode;

use anstyle::AnsiColor;

use cli::{Cli, Command, DevCommand};
use error::Result;
use places::Places;
use session::Session;

/// Runs one concur command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    sandbox::install_interrupt_handler();
    match dispatch(&cli) {
        Ok(code) => exit::code(code),
        // The reader went away (`concur list | head`): nothing is wrong, and nothing to say.
        Err(err) if err.is_broken_pipe() => exit::code(exit::OK),
        Err(err) => {
            if let Command::Verify(args) = &cli.command {
                let session = Places::from_env().ok().and_then(|places| {
                    let cwd = std::env::current_dir().unwrap_or_default();
                    Session::open(cli.course.as_deref(), &cwd, places).ok()
                });
                commands::verify::write_failure(args, session.as_ref().map(|s| &s.course), &err);
            }
            let red = AnsiColor::Red.on_default().bold();
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "{red}error:{red:#} {err:#}");
            exit::code(err.exit_code())
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

/// The edge: resolves the session the command needs from the command line and the
/// environment, once, and runs the command with it.
fn dispatch(cli: &Cli) -> Result<u8> {
    let places = Places::from_env()?;
    let cwd = std::env::current_dir()?;
    let explicit = cli.course.as_deref();
    // Opened only by the commands that work on a course (`serve` needs none).
    let session = || Session::open(explicit, &cwd, places.clone());
    let mut out = ReaderMayLeave(anstream::stdout());
    let code = match &cli.command {
        Command::Watch(args) => watch::run(&session()?, args)?,
        Command::Verify(args) => {
            let session = session()?.with_checks(args.checks.as_deref())?;
            commands::verify::run(&session, args, &mut out)?
        }
        Command::Run(args) => commands::run::run(&session()?, args, &mut out)?,
        Command::Hint(args) => commands::hint::run(&session()?.course, args, &mut out)?,
        Command::List => commands::list::run(&session()?.course, &mut out)?,
        Command::Reset(args) => commands::reset::run(&session()?.course, args, &mut out)?,
        Command::Serve(args) => commands::serve::run(args, &mut out)?,
        Command::Init(args) => commands::init::run(args, explicit, &places, &mut out)?,
        Command::Grade(args) => {
            // Grading needs a course but not the learner's: outside any, the built-in one.
            let session = Session::for_grading(explicit, &cwd, places.clone())?
                .with_checks(args.checks.as_deref())?;
            commands::class::run(&session, args, &mut out)?
        }
        Command::Dev(DevCommand::Check) => commands::dev_check::run(&session()?, &mut out)?,
        Command::Dev(DevCommand::New(args)) => {
            commands::dev_new::run(&session::locate(explicit, &cwd)?, args, &mut out)?
        }
        Command::Doctor => commands::doctor::run(&places, session().ok().as_ref(), &mut out)?,
    };
    out.flush()?;
    Ok(code)
}
