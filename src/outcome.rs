//! The verdict: what happened to each check and each exercise, as types, apart from rendering.
//!
//! In: facts gathered by building and running (see `grade`). Out: values every reporter
//! renders and every driver (`verify`, `watch`, `grade`) decides on. A learner's failing
//! exercise is an outcome here, never an error.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What happened to one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CheckOutcome {
    /// Positive evidence: libtest recorded the check as passed and the run ended cleanly.
    Passed,
    /// The check's assertion failed; `message` is its feedback.
    Failed { message: String },
    /// The run hit its wall-clock limit. `idle` means it used almost no CPU: likely a deadlock.
    TimedOut { limit: Duration, idle: bool },
    /// The program died without the check finishing: by a signal, or by an early exit.
    Crashed {
        signal: Option<i32>,
        code: Option<i32>,
        detail: String,
    },
    /// The check finished but processes it started were still running afterwards; they were
    /// killed.
    LeftProcessRunning { count: usize },
    /// The program wrote more than the output limit and was stopped.
    TooMuchOutput { limit: usize },
}

impl CheckOutcome {
    pub fn is_pass(&self) -> bool {
        matches!(self, CheckOutcome::Passed)
    }

    /// A short label for summaries and machine formats.
    pub fn label(&self) -> &'static str {
        match self {
            CheckOutcome::Passed => "passed",
            CheckOutcome::Failed { .. } => "failed",
            CheckOutcome::TimedOut { .. } => "timed out",
            CheckOutcome::Crashed { .. } => "crashed",
            CheckOutcome::LeftProcessRunning { .. } => "left a process running",
            CheckOutcome::TooMuchOutput { .. } => "too much output",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckResult {
    /// The check's name as the learner sees it (the `#[test]` fn name).
    pub name: String,
    pub outcome: CheckOutcome,
    pub duration: Duration,
    /// What the program printed while the check ran (capped).
    pub output: String,
    /// The trace the check published for the timeline picture, if any.
    pub timeline: Option<concur_kit::publish::Published>,
    /// What the check measured for an experiment's comparison table, if anything.
    pub measurement: Option<concur_kit::experiment::Measurement>,
    /// The seed the check drew its inputs from, if it drew any (`--seed` replays it).
    pub seed: Option<u64>,
}

#[cfg(test)]
impl CheckResult {
    /// A result with nothing but its name and outcome, for tests.
    pub fn bare(name: &str, outcome: CheckOutcome) -> CheckResult {
        CheckResult {
            name: name.into(),
            outcome,
            duration: Duration::ZERO,
            output: String::new(),
            timeline: None,
            measurement: None,
            seed: None,
        }
    }
}

/// What happened to one exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ExerciseOutcome {
    /// The learner's file (or the checks against it) did not compile.
    CompileError {
        /// The first error, rendered by rustc, paths relative to the course.
        first_error: String,
        /// How many errors rustc reported in all.
        errors: usize,
    },
    /// The learner file holds something the course does not allow (see `integrity`); it was
    /// not built.
    NotAllowed {
        /// The first violation, rendered like a compiler error, paths relative to the course.
        first: String,
        /// How many violations the file has in all.
        count: usize,
    },
    /// The file is still byte for byte its starting version, so it was not built or checked
    /// (grading skips such files: they earn nothing).
    NotStarted,
    /// The file compiled and its checks ran.
    Checked { checks: Vec<CheckResult> },
    /// The exercise could not be graded: a file is missing or the checks could not be listed.
    NotGradable { reason: String },
}

/// The verdict for one exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseReport {
    pub name: String,
    /// Display path of the learner file, relative to the course.
    pub path: String,
    pub outcome: ExerciseOutcome,
    /// Build plus checks.
    pub duration: Duration,
    /// The learner file is still byte for byte its starting version (known only where that
    /// version is kept apart from the graded files; see `pipeline::is_starting_file`).
    pub unchanged: bool,
}

impl ExerciseReport {
    /// Not started: still the starting version, whether or not its checks ran. It earns
    /// nothing, in every format and in the gradebook.
    pub fn not_started(&self) -> bool {
        self.unchanged || matches!(self.outcome, ExerciseOutcome::NotStarted)
    }
}

impl ExerciseReport {
    pub fn passed(&self) -> bool {
        match &self.outcome {
            ExerciseOutcome::Checked { checks } => {
                !checks.is_empty() && checks.iter().all(|c| c.outcome.is_pass())
            }
            _ => false,
        }
    }

    /// (passed, total) checks; a compile error counts as zero of zero.
    pub fn check_counts(&self) -> (usize, usize) {
        match &self.outcome {
            ExerciseOutcome::Checked { checks } => (
                checks.iter().filter(|c| c.outcome.is_pass()).count(),
                checks.len(),
            ),
            _ => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(outcomes: Vec<CheckOutcome>) -> ExerciseReport {
        ExerciseReport {
            name: "e".into(),
            path: "exercises/d/e.rs".into(),
            duration: Duration::ZERO,
            outcome: ExerciseOutcome::Checked {
                checks: outcomes
                    .into_iter()
                    .map(|outcome| CheckResult::bare("c", outcome))
                    .collect(),
            },
            unchanged: false,
        }
    }

    #[test]
    fn an_exercise_passes_only_when_every_check_passes() {
        assert!(report(vec![CheckOutcome::Passed, CheckOutcome::Passed]).passed());
        assert!(!report(vec![
            CheckOutcome::Passed,
            CheckOutcome::LeftProcessRunning { count: 1 }
        ])
        .passed());
        assert!(!report(vec![]).passed(), "no checks is no evidence");
    }
}
