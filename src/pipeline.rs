//! The one grading pipeline: course → stage → build → run (sandboxed) → verdict.
//!
//! In: a [`Session`] (the course, its checks, where builds go), the tree of learner files and
//! the exercises to grade. Out: an [`ExerciseReport`] per exercise, handed to the caller as
//! each one finishes. The only caller of the stage and the build: `verify`, `grade`,
//! `dev check`, `run` and watch drive this; none has its own copy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

pub use crate::compile::Built;
use crate::compile::{self, Targets};
use crate::course::Tree;
use crate::course::{relative_to, Course, Exercise};
use crate::integrity;
use crate::judge::{self, Confinement};
use crate::outcome::{ExerciseOutcome, ExerciseReport};
use crate::sandbox::{Job, Priority};
use crate::session::Session;
use crate::stage::Stage;

/// Hooks a driver uses to show progress.
pub trait Observer {
    /// Building is about to start (the slow part of a first run).
    fn building(&mut self, _count: usize) {}
    /// Checks of `exercise` are about to run.
    fn checking(&mut self, _exercise: &Exercise) {}
    /// An exercise has its verdict.
    fn graded(&mut self, report: &ExerciseReport);
}

/// Grades `exercises` of the session's course, learner files from `tree`.
pub fn grade(
    session: &Session,
    tree: Tree,
    exercises: &[&Exercise],
    options: &Options,
    observer: &mut dyn Observer,
) -> Result<Vec<ExerciseReport>> {
    let built = build(session, tree, exercises, options, observer)?;
    Ok(check(session, &built, exercises, observer))
}

/// Stages the learner's tree and builds the dependency set if this machine has none yet,
/// with its progress bar: watch does this before it takes the screen over.
pub fn prepare(session: &Session) -> Result<()> {
    let stage = Stage::prepare(session, Tree::exercises(&session.course))?;
    compile::ensure_dependencies(&stage, &options_of(&Options::default()))
}

/// The learner's program for `ex` from `tree`, built (`concur run`), with the stage it was
/// built in: the path of the program, or the compile error.
pub fn build_program(session: &Session, tree: Tree, ex: &Exercise) -> Result<(Stage, Built)> {
    let stage = Stage::prepare(session, tree)?;
    if !stage.learner_file(ex).is_file() {
        anyhow::bail!(
            "{} is missing (`concur reset {}` restores it)",
            session.course.relative(&stage.learner_file(ex)),
            ex.name
        );
    }
    let spawn = options_of(&Options::default());
    compile::ensure_dependencies(&stage, &spawn)?;
    let built = compile::build(&stage, &[ex], Targets::Program, &spawn)?
        .remove(&ex.name)
        .ok_or_else(|| anyhow::anyhow!("the build reported nothing on {}", ex.name))?;
    Ok((stage, built))
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
    /// The build's CPU priority (`concur grade` builds the next submission at low priority
    /// while the checks of this one run).
    pub build_priority: Priority,
    /// The longest the build may take before it is stopped (`concur grade`: one submission's
    /// build must not hold the class up).
    pub build_limit: Option<Duration>,
    /// The job every child of this grading belongs to, so a driver can stop it all (watch,
    /// when a save makes the running grade moot).
    pub job: Option<Job>,
    /// The seed the checks draw their inputs from (`verify --seed N`).
    pub seed: Option<u64>,
    /// The learner files are built once and not edited again (`concur grade`).
    pub build_once: bool,
}

/// How the build's children are started, from a driver's options.
fn options_of(options: &Options) -> compile::Settings {
    compile::Settings {
        priority: options.build_priority,
        limit: options.build_limit,
        job: options.job.clone(),
        once: options.build_once,
    }
}

/// The first half of [`grade`]: stage and build (one cargo call for all `exercises`).
pub fn build(
    session: &Session,
    tree: Tree,
    exercises: &[&Exercise],
    options: &Options,
    observer: &mut dyn Observer,
) -> Result<BuiltTree> {
    let course = &session.course;
    let stage = Stage::prepare(session, tree)?;
    let spawn = options_of(options);
    compile::ensure_dependencies(&stage, &spawn)?;

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
        compile::build(&stage, &present, Targets::Checks, &spawn)?
    };
    let confinement = Confinement {
        hidden: hidden(session, &stage, &options.also_hidden),
        job: options.job.clone(),
        seed: options.seed,
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
pub fn hidden(session: &Session, stage: &Stage, also: &[PathBuf]) -> Vec<PathBuf> {
    let course = &session.course;
    let mut hidden = vec![
        course.root.clone(),
        course.solutions_dir(),
        stage.checks.clone(),
        course.home.join(".concur"),
        stage.target_dir.clone(),
        crate::sandbox::scratch_parent(),
    ];
    hidden.extend(session.places.cache.clone());
    hidden.extend(session.places.user_home.clone());
    hidden.extend(also.iter().cloned());
    hidden
}

/// The second half of [`grade`]: run the exercises' checks (side by side where their
/// schedules allow, see `judge`), and hand each verdict over in course order.
pub fn check(
    session: &Session,
    tree: &BuiltTree,
    exercises: &[&Exercise],
    observer: &mut dyn Observer,
) -> Vec<ExerciseReport> {
    let (course, stage) = (&session.course, &tree.stage);
    let entries: Vec<judge::Entry> = exercises
        .iter()
        .map(|ex| judge::Entry {
            ex,
            path: display_path(stage, ex),
            built: tree.built.get(&ex.name),
        })
        .collect();
    let roots = [
        stage.target_dir.join("debug"),
        course.home.clone(),
        course.root.clone(),
    ];
    let mut reports = Vec::with_capacity(exercises.len());
    // `checking` and `done` both speak to the observer, one after the other.
    let observer = std::cell::RefCell::new(observer);
    judge::exercises(
        &entries,
        &roots,
        &tree.confinement,
        |ex| observer.borrow_mut().checking(ex),
        |i, judged| {
            let ex = exercises[i];
            let mut report = judged.unwrap_or_else(|| ExerciseReport {
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
            });
            report.unchanged = is_starting_file(course, stage, ex);
            observer.borrow_mut().graded(&report);
            reports.push(report);
        },
    );
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
    relative_to(&stage.home, &stage.learner_file(ex))
}

fn missing_reason(stage: &Stage, ex: &Exercise) -> String {
    let rel = |p: &Path| relative_to(&stage.home, p);
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
