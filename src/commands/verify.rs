//! `concur verify [NAME…] [--solutions]`: grade exercises and report per check.
//!
//! In: exercise names (default all). Out: a human report on the writer, progress updated in
//! the state file (when grading the learner's own files), exit 0 when all pass, else 1.

use std::io::Write;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::VerifyArgs;
use crate::course::{Course, CourseError, Exercise};
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::pipeline::{self, Observer};
use crate::report::{github, gradescope, json, junit, Format, Human};
use crate::stage::Tree;
use crate::state::{State, Status};

pub fn run(course: &Course, args: &VerifyArgs, out: &mut dyn Write) -> Result<u8> {
    let exercises = super::select(course, &args.names)?;
    let tree = if args.solutions {
        Tree::solutions(course)
    } else {
        Tree::exercises(course)
    };
    // Human text on stdout streams as verdicts arrive; any other destination gets the whole
    // report at the end, while the terminal shows only the spinner.
    let streaming = args.format == Format::Human && args.output.is_none();
    let mut sink = Vec::new();
    let mut printer = Printer {
        human: Human::for_stdout(args.verbose),
        out: if streaming { &mut *out } else { &mut sink },
        spinner: None,
        error: None,
    };
    let checks = match &args.checks {
        Some(dir) if dir.is_dir() => {
            std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?
        }
        Some(dir) => anyhow::bail!(CourseError::new(
            dir,
            None,
            Some("--checks"),
            "no such folder: it should hold the hidden checks, laid out like tests/hidden/".into(),
        )),
        None => course.checks_dir(),
    };
    let reports = pipeline::grade(course, tree, &checks, &exercises, &mut printer)?;
    if let Some(spinner) = printer.spinner.take() {
        spinner.finish_and_clear();
    }
    if let Some(e) = printer.error {
        return Err(e.into());
    }
    let human = printer.human;
    if !streaming {
        write_report(course, args, &reports, out)?;
    } else if reports.len() > 1 {
        human.summary(out, &reports)?;
    }
    if !args.solutions {
        record(course, &reports)?;
    }
    let all_pass = reports.iter().all(ExerciseReport::passed);
    if streaming && all_pass && !args.solutions && reports.len() == course.exercises.len() {
        if let Some(message) = &course.final_message {
            writeln!(out, "\n{message}")?;
        }
    }
    Ok(if all_pass { exit::OK } else { exit::FAILED })
}

/// Writes the whole report in the chosen format, to `--output` or `out`.
fn write_report(
    course: &Course,
    args: &VerifyArgs,
    reports: &[ExerciseReport],
    out: &mut dyn Write,
) -> Result<()> {
    let mut buf = Vec::new();
    match args.format {
        Format::Human => {
            let human = Human {
                verbose: args.verbose,
                glyphs: concur_kit::timeline::Glyphs::Ascii,
            };
            for report in reports {
                human.exercise(&mut buf, report)?;
            }
            human.summary(&mut buf, reports)?;
        }
        Format::Json => json::write(&mut buf, reports)?,
        Format::Junit => junit::write(&mut buf, reports)?,
        Format::Gradescope => gradescope::write(&mut buf, course, reports, args.visibility)?,
        Format::Github => github::write(&mut buf, course, reports)?,
    }
    match &args.output {
        Some(path) => {
            let text = anstream::adapter::strip_bytes(&buf).into_vec();
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("report written to {}", path.display());
        }
        None => out.write_all(&buf)?,
    }
    Ok(())
}

/// Saves what grading learned about the learner's progress.
fn record(course: &Course, reports: &[ExerciseReport]) -> Result<()> {
    let (mut state, warning) = State::load(&course.root);
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    for report in reports {
        let status = if report.passed() {
            Status::Done
        } else {
            Status::Pending
        };
        state.set_status(&report.name, status);
    }
    state.save()
}

/// Prints each verdict as it arrives, with a spinner on a terminal while work goes on.
struct Printer<'w> {
    human: Human,
    out: &'w mut dyn Write,
    spinner: Option<ProgressBar>,
    error: Option<std::io::Error>,
}

impl Printer<'_> {
    fn spin(&mut self, message: String) {
        let spinner = self.spinner.get_or_insert_with(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .expect("the spinner template is valid"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        });
        spinner.set_message(message);
    }
}

impl Observer for Printer<'_> {
    fn building(&mut self, count: usize) {
        if count > 0 {
            self.spin(format!(
                "compiling {count} exercise{}…",
                if count == 1 { "" } else { "s" }
            ));
        }
    }

    fn checking(&mut self, exercise: &Exercise) {
        self.spin(format!("checking `{}`…", exercise.name));
    }

    fn graded(&mut self, report: &ExerciseReport) {
        let result = match &self.spinner {
            Some(spinner) => spinner.suspend(|| self.human.exercise(self.out, report)),
            None => self.human.exercise(self.out, report),
        };
        if let Err(e) = result.and_then(|()| self.out.flush()) {
            self.error.get_or_insert(e);
        }
    }
}
