//! `concur verify [NAME…] [--solutions]`: grade exercises and report per check.
//!
//! In: exercise names (default all). Out: a human report on the writer, progress updated in
//! the state file (when grading the learner's own files), exit 0 when all pass, else 1.

use std::io::Write;

use anyhow::Context;

use crate::error::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::VerifyArgs;
use crate::course::Tree;
use crate::course::{Course, Exercise};
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::pipeline::{self, Observer};
use crate::report::{Format, Human};
use crate::session::Session;
use crate::state::{State, Status};

pub fn run(session: &Session, args: &VerifyArgs, out: &mut dyn Write) -> Result<u8> {
    let course = &session.course;
    let started = std::time::Instant::now();
    let exercises = super::select(course, &args.names)?;
    let tree = match (&args.exercises, args.solutions) {
        (Some(dir), _) => Tree {
            tag: "submitted".into(),
            path: std::path::absolute(dir)
                .with_context(|| format!("resolving {}", dir.display()))?,
            strict: false,
        },
        (None, true) => Tree::solutions(course),
        (None, false) => Tree::exercises(course),
    };
    let own_files = args.exercises.is_none() && !args.solutions;
    // Human text on stdout streams as verdicts arrive — also beside a report written to a file,
    // so a CI log shows why a check failed; a report on stdout comes whole at the end, while
    // the terminal shows only the spinner.
    let streaming = args.format == Format::Human || args.output.is_some();
    let mut sink = Vec::new();
    let mut printer = Printer {
        human: Human::for_stdout(args.verbose),
        out: if streaming { &mut *out } else { &mut sink },
        spinner: None,
        error: None,
        total: exercises.len(),
    };
    let options = pipeline::Options {
        // A grade for a platform: an untouched file earns nothing, so it is not run.
        skip_unchanged: matches!(args.format, Format::Gradescope | Format::Github),
        // Given to every check run; the kit draws its inputs from it.
        seed: args.seed,
        ..pipeline::Options::default()
    };
    let reports = pipeline::grade(session, tree, &exercises, &options, &mut printer)?;
    if let Some(spinner) = printer.spinner.take() {
        spinner.finish_and_clear();
    }
    if let Some(e) = printer.error {
        return Err(e.into());
    }
    let human = printer.human;
    if streaming && reports.len() > 1 {
        human.summary(out, &reports)?;
    }
    if args.format != Format::Human || args.output.is_some() {
        write_report(course, args, &reports, out, started.elapsed())?;
    }
    if own_files {
        record(course, &reports)?;
        for report in reports.iter().filter(|r| r.passed()) {
            let ex = course.exercise(&report.name)?;
            if let Some(path) = crate::workspace::reveal_solution(course, ex)? {
                eprintln!(
                    "{} passes: its reference solution is now in {}",
                    ex.name,
                    course.relative(&path)
                );
            }
        }
    }
    let all_pass = reports.iter().all(ExerciseReport::passed);
    if streaming && all_pass && own_files && reports.len() == course.exercises.len() {
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
    wall: std::time::Duration,
) -> Result<()> {
    let buf = crate::report::render(
        args.format,
        course,
        reports,
        args.visibility,
        args.verbose,
        wall,
    )?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buf).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("report written to {}", path.display());
        }
        None => out.write_all(&buf)?,
    }
    Ok(())
}

/// When `verify` could not grade at all (exit 2 or 3), the report it was asked to write still
/// appears, in its format, saying why: a platform reading it records nothing earned instead
/// of failing on a missing file.
pub fn write_failure(args: &VerifyArgs, course: Option<&Course>, error: &crate::error::Error) {
    let Some(path) = &args.output else { return };
    let reason = format!("{error:#}");
    match crate::report::render_error(args.format, course, &reason, args.visibility) {
        Ok(bytes) => {
            if let Err(e) = std::fs::write(path, bytes) {
                eprintln!("concur: could not write {}: {e}", path.display());
            }
        }
        Err(e) => eprintln!("concur: could not render the error report: {e}"),
    }
}

/// Saves what grading learned about the learner's progress.
fn record(course: &Course, reports: &[ExerciseReport]) -> Result<()> {
    let mut state = State::open(&course.home);
    for report in reports {
        let status = if report.passed() {
            Status::Done
        } else {
            Status::Pending
        };
        state.set_status(&report.name, status);
    }
    Ok(state.save()?)
}

/// Prints each verdict as it arrives, with a spinner on a terminal while work goes on.
struct Printer<'w> {
    human: Human,
    out: &'w mut dyn Write,
    spinner: Option<ProgressBar>,
    error: Option<std::io::Error>,
    /// Exercises to grade: above one, the spinner becomes a bar counting verdicts.
    total: usize,
}

impl Printer<'_> {
    fn spin(&mut self, message: String) {
        let total = self.total;
        let spinner = self.spinner.get_or_insert_with(|| {
            let (bar, template) = if total > 1 {
                let bar = ProgressBar::new(total as u64);
                (bar, "{spinner} [{bar:20}] {pos}/{len} {msg} {elapsed}")
            } else {
                (ProgressBar::new_spinner(), "{spinner} {msg} {elapsed}")
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("the progress template is valid")
                    .progress_chars("=> "),
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
        if let Some(bar) = &self.spinner {
            bar.inc(1);
        }
        let result = match &self.spinner {
            Some(spinner) => spinner.suspend(|| self.human.exercise(self.out, report)),
            None => self.human.exercise(self.out, report),
        };
        if let Err(e) = result.and_then(|()| self.out.flush()) {
            self.error.get_or_insert(e);
        }
    }
}
