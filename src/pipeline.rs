//! The one grading pipeline: course → stage → build → run (sandboxed) → verdict.
//!
//! In: a course, the tree of learner files, the hidden checks and the exercises to grade.
//! Out: an [`ExerciseReport`] per exercise, handed to the caller as each one finishes.
//! `verify`, `dev check` and later drivers call this; none has its own copy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::build::{self, Built, Targets};
use crate::course::{relative_to, Course, Exercise};
use crate::grade::{self, Confinement};
use crate::integrity;
use crate::outcome::{ExerciseOutcome, ExerciseReport};
use crate::stage::{Stage, Tree};

/// Hooks a driver uses to show progress.
pub trait Observer {
    /// Building is about to start (the slow part of a first run).
    fn building(&mut self, _count: usize) {}
    /// Checks of `exercise` are about to run.
    fn checking(&mut self, _exercise: &Exercise) {}
    /// An exercise has its verdict.
    fn graded(&mut self, report: &ExerciseReport);
}

/// Grades `exercises` of `course`, learner files from `tree`, checks from `checks`.
pub fn grade(
    course: &Course,
    tree: Tree,
    checks: &Path,
    exercises: &[&Exercise],
    options: &Options,
    observer: &mut dyn Observer,
) -> Result<Vec<ExerciseReport>> {
    let built = build(course, tree, checks, exercises, options, observer)?;
    Ok(check(course, &built, exercises, observer))
}

/// A tree staged and built, ready for its checks to run.
pub struct BuiltTree {
    stage: Stage,
    built: HashMap<String, Built>,
    /// Exercises the integrity scan refused, with their outcome; they were not built.
    refused: HashMap<String, ExerciseOutcome>,
    build_time: Duration,
    confinement: Confinement,
    skip_unchanged: bool,
}

impl BuiltTree {
    /// How long staging and building this tree took (shared by all its exercises).
    pub fn build_time(&self) -> Duration {
        self.build_time
    }
}

/// How a driver wants a tree graded.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Folders the checks' learner code may not read besides the course's own (`concur grade`:
    /// the class and its reports).
    pub also_hidden: Vec<PathBuf>,
    /// A learner file still byte for byte its starting version is not built or checked at all
    /// (it earns nothing): for grading, not for a learner watching their first failures.
    pub skip_unchanged: bool,
}

/// The first half of [`grade`]: stage and build (one cargo call for all `exercises`).
pub fn build(
    course: &Course,
    tree: Tree,
    checks: &Path,
    exercises: &[&Exercise],
    options: &Options,
    observer: &mut dyn Observer,
) -> Result<BuiltTree> {
    let stage = Stage::prepare(course, tree, checks)?;
    build::ensure_dependencies(&stage)?;

    // Missing files are an outcome of their own, and so are files the integrity scan refuses;
    // the rest build in one cargo call.
    let mut refused = HashMap::new();
    let present: Vec<&Exercise> = exercises
        .iter()
        .copied()
        .filter(|ex| stage.learner_file(ex).is_file() && stage.check_file(ex).is_file())
        .filter(|ex| !(options.skip_unchanged && is_starting_file(course, &stage, ex)))
        .filter(|ex| match scan(&stage, ex) {
            Some(outcome) => {
                refused.insert(ex.name.clone(), outcome);
                false
            }
            None => true,
        })
        .collect();
    observer.building(present.len());
    let started = Instant::now();
    let built = if present.is_empty() {
        Default::default()
    } else {
        build::build(&stage, &present, Targets::Checks)?
    };
    let confinement = Confinement {
        hidden: hidden(course, &stage, &options.also_hidden),
    };
    Ok(BuiltTree {
        stage,
        built,
        refused,
        build_time: started.elapsed(),
        confinement,
        skip_unchanged: options.skip_unchanged,
    })
}

/// The integrity scan of `ex`'s learner file: the outcome when it holds what is not allowed.
fn scan(stage: &Stage, ex: &Exercise) -> Option<ExerciseOutcome> {
    let file = stage.learner_file(ex);
    let source = std::fs::read_to_string(&file).ok()?;
    let rules = integrity::Rules {
        program: ex.program,
        allow: &ex.allow,
    };
    let violations = integrity::scan(&source, rules);
    let first = violations.first()?;
    Some(ExerciseOutcome::NotAllowed {
        first: integrity::render(first, &source, &display_path(stage, ex)),
        count: violations.len(),
    })
}

/// What learner code may not read: the course (its checks and solutions), the checks in use,
/// the learner's `.concur` (builds, state, backups), the build target, concur's cache, the
/// user's home, the other runs' scratch folders, and whatever the driver adds.
pub fn hidden(course: &Course, stage: &Stage, also: &[PathBuf]) -> Vec<PathBuf> {
    let mut hidden = vec![
        course.root.clone(),
        course.solutions_dir(),
        stage.checks.clone(),
        course.home.join(".concur"),
        stage.target_dir.clone(),
        crate::sandbox::scratch_parent(),
    ];
    hidden.extend(crate::workspace::embedded::cache_dir().ok());
    hidden.extend(std::env::var_os("HOME").map(PathBuf::from));
    hidden.extend(also.iter().cloned());
    hidden
}

/// The second half of [`grade`]: run each exercise's checks, in course order.
pub fn check(
    course: &Course,
    tree: &BuiltTree,
    exercises: &[&Exercise],
    observer: &mut dyn Observer,
) -> Vec<ExerciseReport> {
    let stage = &tree.stage;
    let mut reports = Vec::with_capacity(exercises.len());
    for ex in exercises {
        let mut report = match tree.built.get(&ex.name) {
            Some(b) => {
                if matches!(b, Built::Ready { .. }) {
                    observer.checking(ex);
                }
                grade::grade(
                    ex,
                    display_path(stage, ex),
                    b,
                    &[
                        stage.target_dir.join("debug"),
                        course.home.clone(),
                        course.root.clone(),
                    ],
                    &tree.confinement,
                )
            }
            None => ExerciseReport {
                name: ex.name.clone(),
                path: display_path(stage, ex),
                duration: Duration::ZERO,
                outcome: match tree.refused.get(&ex.name) {
                    Some(refused) => refused.clone(),
                    None if tree.skip_unchanged
                        && stage.learner_file(ex).is_file()
                        && is_starting_file(course, stage, ex) =>
                    {
                        ExerciseOutcome::NotStarted
                    }
                    None => ExerciseOutcome::NotGradable {
                        reason: missing_reason(stage, ex),
                    },
                },
                unchanged: false,
            },
        };
        report.unchanged = is_starting_file(course, stage, ex);
        observer.graded(&report);
        reports.push(report);
    }
    reports
}

/// The learner file is byte for byte the starting version the course ships. Known where that
/// version is kept apart from the graded file: a workspace (the course built into concur) or
/// a class's submissions (the course they are graded with). When the graded file *is* the
/// course's own starting file (a learner working in the course folder), nothing tells an
/// untouched file from edited work, and this says false.
fn is_starting_file(course: &Course, stage: &Stage, ex: &Exercise) -> bool {
    let (starting, learner) = (course.starting_file(ex), stage.learner_file(ex));
    let same_path = match (starting.canonicalize(), learner.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => return false,
    };
    !same_path
        && match (std::fs::read(&starting), std::fs::read(&learner)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}

/// The learner file's path relative to the course, as the learner would type it.
fn display_path(stage: &Stage, ex: &Exercise) -> String {
    relative_to(&stage.course_root, &stage.learner_file(ex))
}

fn missing_reason(stage: &Stage, ex: &Exercise) -> String {
    let rel = |p: &Path| relative_to(&stage.course_root, p);
    if !stage.learner_file(ex).is_file() {
        format!(
            "{} is missing (`concur reset {}` restores it)",
            rel(&stage.learner_file(ex)),
            ex.name
        )
    } else {
        format!(
            "its hidden checks {} are missing",
            rel(&stage.check_file(ex))
        )
    }
}
