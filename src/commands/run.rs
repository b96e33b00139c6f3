//! `concur run NAME`: build the learner's program and run it in the sandbox, with the mock API.
//!
//! In: an exercise name (and arguments for the program). Out: the program's output live, then
//! its exit status; exit 0 when the program exited 0. The mock API is started first and its
//! URL given to the program as `CONCUR_API_URL`.

use std::io::Write;
use std::process::Command;

use anyhow::Context;

use crate::error::Result;
use concur_kit::api::{ApiConfig, MockApi};
use concur_kit::{timeline, witness, Trace};

use crate::cli::RunArgs;
use crate::course::Tree;
use crate::exit;
use crate::outcome::CheckOutcome;
use crate::pipeline;
use crate::pipeline::Built;
use crate::report::human::feedback;
use crate::sandbox::{self, Echo, Exit, Jail, Limits, Options};
use crate::session::Session;

/// The variable a program reads the mock API's address from.
pub const API_URL_ENV: &str = "CONCUR_API_URL";

/// Columns of the timeline pictures drawn after the run.
const PICTURE_COLUMNS: usize = 80;

/// `concur run` allows more time than a check: the learner is watching.
const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

pub fn run(session: &Session, args: &RunArgs, out: &mut dyn Write) -> Result<u8> {
    let course = &session.course;
    let ex = course.exercise(&args.name)?;
    let tree = if args.solution {
        Tree::solutions(course)
    } else {
        Tree::exercises(course)
    };
    let (stage, built) = pipeline::build_program(session, tree, ex)?;
    let program = match built {
        Built::CompileError {
            first_error,
            errors,
        } => {
            writeln!(out, "{}", first_error.trim_end())?;
            if errors > 1 {
                writeln!(out, "(and {} more errors)", errors - 1)?;
            }
            return Ok(exit::FAILED);
        }
        Built::Program(program) => program,
        Built::Checks { .. } => {
            return Err(anyhow::anyhow!("the build made checks, not the program").into())
        }
    };

    let api = MockApi::start(ApiConfig::default()).context("starting the mock API")?;
    writeln!(out, "mock API at {} (in {API_URL_ENV})", api.url())?;
    writeln!(out, "running `{}`…\n", ex.name)?;
    out.flush()?;
    let scratch = sandbox::scratch().context("creating the program's scratch folder")?;
    // Workloads the program and its children run report here, for the picture below.
    let work = Trace::new();
    let socket = scratch.path().join("work.sock");
    let _witness = witness::Server::listen(socket.clone(), work.clone())
        .context("opening the socket the program's workloads report to")?;
    let mut cmd = Command::new(&program);
    cmd.args(&args.args)
        .env(API_URL_ENV, api.url())
        .env(witness::SOCKET_ENV, &socket)
        .env(concur_kit::process::PROGRAM_ENV, &program);
    let limits = Limits {
        wall: RUN_LIMIT,
        ..Limits::default()
    };
    let jail = Jail {
        scratch: scratch.path().to_path_buf(),
        programs: vec![program.clone()],
        hidden: pipeline::hidden(session, &stage, &[]),
        // The mock API runs in concur's process, outside any network namespace of the run.
        shared_network: true,
    };
    let options = Options {
        limits: limits.clone(),
        echo: Echo::Live,
        jail: Some(jail),
        inherit: None,
        job: None,
    };
    let report = sandbox::run_with(cmd, options).context("running the program")?;
    writeln!(out)?;
    let code = match report.exit {
        _ if report.output_exceeded => {
            let fb = feedback(&CheckOutcome::TooMuchOutput {
                limit: limits.output_bytes,
            });
            writeln!(out, "✗ {fb}")?;
            exit::FAILED
        }
        _ if report.timed_out => {
            writeln!(
                out,
                "✗ stopped after {}s (the limit for `concur run`)",
                RUN_LIMIT.as_secs()
            )?;
            exit::FAILED
        }
        Exit::Code(0) => {
            writeln!(
                out,
                "✓ exited with status 0 in {:.2}s",
                report.wall.as_secs_f64()
            )?;
            exit::OK
        }
        Exit::Code(c) => {
            writeln!(out, "✗ exited with status {c}")?;
            exit::FAILED
        }
        Exit::Signal(s) => {
            writeln!(out, "✗ killed by signal {s}")?;
            exit::FAILED
        }
    };
    let human = crate::report::Human::for_stdout(false);
    for (title, trace) in [
        ("work", work.take()),
        ("requests to the mock API", api.trace()),
    ] {
        if !trace.is_empty() {
            writeln!(out)?;
            let picture = timeline::picture(
                &format!("timeline ({title})"),
                &trace.spans(),
                PICTURE_COLUMNS,
                human.glyphs,
            );
            writeln!(out, "{picture}")?;
        }
    }
    if report.leaked > 0 {
        writeln!(
            out,
            "✗ left {} process(es) running; concur killed them. Wait for every child you start.",
            report.leaked
        )?;
        return Ok(exit::FAILED);
    }
    Ok(code)
}
