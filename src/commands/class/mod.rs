//! `concur grade SUBMISSIONS [--output DIR]`: grade a whole class with the one pipeline.
//!
//! In: a folder with one subfolder per learner (a workspace, or any folder holding that
//! learner's `exercises/`). Out: `DIR/reports/<learner>.<ext>` in the chosen format,
//! `DIR/gradebook.csv`, and a line per learner on stdout; exit 0 once the gradebook is written.
//!
//! How the class shares the machine: cargo already builds one submission's exercises on every
//! core, and two cargo processes on one target folder would only wait for each other; so one
//! thread builds submissions one after another while the main thread runs the checks of the
//! submission built before. Checks run as the course schedules them (`judge`: checks that
//! measure the CPU alone, those about waiting work in a shared pool), and compete only with
//! the build next door, which runs at low priority and keeps no incremental state. Two build
//! slots take turns, so a submission's binaries are never rebuilt while its checks run. A
//! broken, hanging or hostile submission only fills its own row: every check is sandboxed,
//! and a build that cannot run becomes that learner's error.

mod gradebook;
mod submissions;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use anyhow::Context;

use crate::error::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::GradeArgs;
use crate::course::Tree;
use crate::course::{Course, Exercise};
use crate::error::Error;
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::pipeline::{self, BuiltTree, Observer};
use crate::sandbox::Priority;
use crate::session::Session;

use gradebook::{Graded, Row};
use submissions::Submission;

/// Build slots taking turns (see the module comment).
const SLOTS: usize = 2;

/// The longest one submission's build may take; a whole course builds in a minute or two.
const BUILD_LIMIT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Why `concur grade` will not run without file isolation.
const NEEDS_ISOLATION: &str = "concur grade needs the sandbox's file layer, so that one \
    learner's code cannot read the checks or rewrite another learner's work";

pub fn run(session: &Session, args: &GradeArgs, out: &mut dyn Write) -> Result<u8> {
    let (course, checks) = (&session.course, &session.checks);
    let started = Instant::now();
    if let crate::sandbox::Layer::Missing(why) = &crate::sandbox::layers().files {
        if !args.unisolated {
            return Err(Error::Usage(format!(
                "{NEEDS_ISOLATION}, and this machine has none: {why}. `concur doctor` shows \
                 every layer; `--unisolated` grades anyway and marks each row of the gradebook"
            )));
        }
    }
    if !args.submissions.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder: give the folder holding one subfolder per learner",
            args.submissions.display()
        )));
    }
    let output = &args.output;
    std::fs::create_dir_all(output.join("reports"))
        .with_context(|| format!("creating {}", output.join("reports").display()))?;
    let class = submissions::discover(&args.submissions, course, checks, output)?;
    if class.is_empty() {
        return Err(Error::Usage(format!(
            "{} has no subfolders: each learner's submission is one subfolder",
            args.submissions.display()
        )));
    }

    let mut rows = Vec::new();
    let mut todo = Vec::new();
    for sub in &class {
        match gradebook::cached(output, &sub.learner, &sub.digest) {
            // A row graded without isolation is not kept once isolation is back, and one an
            // older concur remembered without its verdicts cannot be written in a new format.
            Some(cached)
                if !args.force
                    && (cached.row.isolated || args.unisolated)
                    && !matches!(cached.outcome, Graded::Unknown) =>
            {
                let path = report_path(args, &sub.learner);
                if !path.is_file() {
                    write_report(course, args, &path, &cached.outcome)?;
                }
                rows.push(cached.row);
            }
            _ => todo.push(sub),
        }
    }
    let skipped = rows.len();
    if skipped > 0 {
        writeln!(
            out,
            "{skipped} submission{} unchanged since the last run (--force grades them again)",
            if skipped == 1 { "" } else { "s" }
        )?;
    }

    let bar = progress(todo.len());
    let exercises: Vec<&Exercise> = course.exercises.iter().collect();
    let grader = Grader {
        session,
        args,
        exercises: &exercises,
        bar: &bar,
    };
    std::thread::scope(|scope| -> Result<()> {
        // A rendezvous channel: the builder hands over a submission only when the checks of
        // the one before are done, so the slot it builds into next is free.
        let (tx, rx) = sync_channel::<(&Submission, anyhow::Result<BuiltTree>)>(0);
        let builder = &grader;
        let queue = &todo;
        scope.spawn(move || {
            for (i, sub) in queue.iter().enumerate() {
                let built = builder.build(sub, i % SLOTS);
                if tx.send((sub, built)).is_err() {
                    return;
                }
            }
        });
        for (sub, built) in rx {
            let row = grader.check(sub, built)?;
            bar.suspend(|| writeln!(out, "{}", summary_line(&row)))?;
            bar.inc(1);
            rows.push(row);
        }
        Ok(())
    })?;
    bar.finish_and_clear();

    rows.sort_by(|a, b| a.learner.cmp(&b.learner));
    let csv = output.join("gradebook.csv");
    crate::files::write_atomically(&csv, gradebook::csv(course, &rows).as_bytes())?;
    writeln!(
        out,
        "graded {} submission{} ({} unchanged) in {:.1}s; gradebook: {}",
        class.len(),
        if class.len() == 1 { "" } else { "s" },
        skipped,
        started.elapsed().as_secs_f64(),
        csv.display()
    )?;
    Ok(exit::OK)
}

/// What grading one submission needs.
struct Grader<'a> {
    session: &'a Session,
    args: &'a GradeArgs,
    exercises: &'a [&'a Exercise],
    bar: &'a ProgressBar,
}

impl Grader<'_> {
    /// Stages and builds `sub` into build slot `slot`.
    fn build(&self, sub: &Submission, slot: usize) -> anyhow::Result<BuiltTree> {
        let Some(tree) = &sub.exercises else {
            anyhow::bail!("no exercises/ folder in this submission");
        };
        self.bar.set_prefix(format!("building {}", sub.learner));
        let tree = Tree {
            tag: format!("grade{slot}"),
            path: tree.clone(),
            strict: false,
        };
        let options = pipeline::Options {
            also_hidden: vec![self.args.submissions.clone(), self.args.output.clone()],
            skip_unchanged: true,
            build_priority: Priority::Low,
            build_limit: Some(BUILD_LIMIT),
            build_once: true,
            ..pipeline::Options::default()
        };
        let built = pipeline::build(self.session, tree, self.exercises, &options, &mut Quiet);
        self.bar.set_prefix("");
        built
    }

    /// Runs the checks of a built submission, writes its report and remembers its row and
    /// verdicts.
    fn check(&self, sub: &Submission, built: anyhow::Result<BuiltTree>) -> Result<Row> {
        let course = &self.session.course;
        let report_path = report_path(self.args, &sub.learner);
        let (row, graded) = match built {
            Ok(built) => {
                let mut observer = Checking {
                    bar: self.bar,
                    learner: &sub.learner,
                };
                let started = std::time::Instant::now();
                let reports = pipeline::check(self.session, &built, self.exercises, &mut observer);
                let wall = built.build_time() + started.elapsed();
                let row = Row::graded(&sub.learner, course, &reports, !self.args.unisolated);
                (row, Graded::Reports { reports, wall })
            }
            Err(e) => {
                let row = Row::ungraded(
                    &sub.learner,
                    course,
                    format!("{e:#}"),
                    !self.args.unisolated,
                );
                (row, Graded::Error(format!("{e:#}")))
            }
        };
        write_report(course, self.args, &report_path, &graded)?;
        gradebook::remember(&self.args.output, &sub.digest, &row, graded)?;
        Ok(row)
    }
}

/// Where `learner`'s report goes in the chosen format.
fn report_path(args: &GradeArgs, learner: &str) -> PathBuf {
    args.output.join("reports").join(format!(
        "{}.{}",
        gradebook::file_stem(learner),
        args.format.extension()
    ))
}

/// Writes one learner's report in the chosen format: their verdicts, or, for a submission
/// that could not be graded, a valid report of that format saying why.
fn write_report(course: &Course, args: &GradeArgs, path: &Path, graded: &Graded) -> Result<()> {
    let bytes = match graded {
        Graded::Reports { reports, wall } => {
            crate::report::render(args.format, course, reports, args.visibility, false, *wall)?
        }
        Graded::Error(reason) => {
            crate::report::render_error(args.format, Some(course), reason, args.visibility)?
        }
        Graded::Unknown => return Ok(()),
    };
    Ok(crate::files::write_atomically(path, &bytes)?)
}

fn summary_line(row: &Row) -> String {
    match &row.error {
        Some(e) => format!("✗ {}: not graded: {e}", row.learner),
        None => format!(
            "{} {}: {}/{} exercises, {}/{} points",
            if row.score == row.max_score {
                "✓"
            } else {
                "·"
            },
            row.learner,
            row.exercises_passed,
            row.results.len(),
            row.score,
            row.max_score,
        ),
    }
}

fn progress(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>20} [{bar:25}] {pos}/{len} {msg} {elapsed}")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Builds show no progress of their own: the class bar is the progress.
struct Quiet;

impl Observer for Quiet {
    fn graded(&mut self, _: &ExerciseReport) {}
}

/// Names the exercise whose checks are running.
struct Checking<'a> {
    bar: &'a ProgressBar,
    learner: &'a str,
}

impl Observer for Checking<'_> {
    fn checking(&mut self, exercise: &Exercise) {
        self.bar
            .set_message(format!("checking {}: {}", self.learner, exercise.name));
    }

    fn graded(&mut self, _: &ExerciseReport) {}
}
