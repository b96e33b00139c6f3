//! `concur dev check`: the course author's gate.
//!
//! In: the course. Out: a list of problems, exit 1 when there is any: an exercise without a
//! starting file, solution or hidden checks; a starting file that already passes; a solution
//! that fails; a stray file no exercise owns.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;

use crate::course::Course;
use crate::course::Tree;
use crate::exit;
use crate::outcome::{ExerciseOutcome, ExerciseReport};
use crate::pipeline::{self, Observer};
use crate::report::human::feedback;
use crate::session::Session;

struct Quiet;

impl Observer for Quiet {
    fn checking(&mut self, exercise: &crate::course::Exercise) {
        eprintln!("  checking `{}`…", exercise.name);
    }
    fn graded(&mut self, _report: &ExerciseReport) {}
}

pub fn run(session: &Session, out: &mut dyn Write) -> Result<u8> {
    let course = &session.course;
    let mut problems = files_problems(course);

    let all: Vec<_> = course.exercises.iter().collect();
    eprintln!("Grading the starting files…");
    for report in pipeline::grade(
        session,
        Tree::exercises(course).strict(),
        &all,
        &pipeline::Options::default(),
        &mut Quiet,
    )? {
        if report.passed() {
            problems.push(format!(
                "{}: the starting file already passes every check",
                report.path
            ));
        } else if let ExerciseOutcome::NotGradable { reason } = &report.outcome {
            problems.push(format!("{}: {reason}", report.path));
        }
    }
    eprintln!("Grading the solutions…");
    for report in pipeline::grade(
        session,
        Tree::solutions(course).strict(),
        &all,
        &pipeline::Options::default(),
        &mut Quiet,
    )? {
        if !report.passed() {
            let path = report.path.replacen("exercises/", "solutions/", 1);
            problems.push(format!(
                "{path}: the solution does not pass: {}",
                why(&report)
            ));
        }
    }

    if problems.is_empty() {
        writeln!(
            out,
            "✓ the course is sound: {} exercises, every starting file fails and every solution passes",
            course.exercises.len()
        )?;
        Ok(exit::OK)
    } else {
        writeln!(out, "✗ {} problem(s) in the course:", problems.len())?;
        for p in &problems {
            writeln!(out, "  - {p}")?;
        }
        Ok(exit::FAILED)
    }
}

fn why(report: &ExerciseReport) -> String {
    match &report.outcome {
        ExerciseOutcome::CompileError { first_error, .. } => {
            let plain = anstream::adapter::strip_str(first_error).to_string();
            plain.lines().next().unwrap_or("compile error").to_string()
        }
        ExerciseOutcome::NotAllowed { first, .. } => {
            first.lines().next().unwrap_or("not allowed").to_string()
        }
        ExerciseOutcome::NotGradable { reason } => reason.clone(),
        ExerciseOutcome::NotStarted => "not started".to_string(),
        ExerciseOutcome::Checked { checks } => checks
            .iter()
            .filter(|c| !c.outcome.is_pass())
            .map(|c| {
                let fb = feedback(&c.outcome);
                format!("`{}` {}", c.name, fb.lines().next().unwrap_or(""))
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Missing and stray files.
fn files_problems(course: &Course) -> Vec<String> {
    let mut problems = Vec::new();
    let rel = |p: &Path| course.relative(p);
    let trees = [
        ("starting file", course.exercises_dir()),
        ("solution", course.solutions_dir()),
        ("hidden check file", course.checks_dir()),
    ];
    let mut owned: BTreeSet<PathBuf> = BTreeSet::new();
    for ex in &course.exercises {
        for (what, tree) in &trees {
            let file = ex.file_in(tree);
            if !file.is_file() {
                problems.push(format!("`{}` has no {what} at {}", ex.name, rel(&file)));
            }
            owned.insert(file);
        }
    }
    for (_, tree) in &trees {
        for file in crate::files::below(tree) {
            let is_readme = file.file_name().is_some_and(|n| n == "README.md")
                && file.starts_with(course.exercises_dir());
            if !owned.contains(&file) && !is_readme {
                problems.push(format!(
                    "stray file {}: no exercise in info.toml owns it",
                    rel(&file)
                ));
            }
        }
    }
    problems
}
