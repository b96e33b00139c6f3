//! The gradebook: one row per learner, written as `gradebook.csv` for spreadsheets and LMS
//! imports, and cached beside each learner's report so an unchanged submission is not graded
//! again.
//!
//! In: each learner's exercise reports (or why they could not be graded). Out: [`Row`]s, the
//! CSV text, and the cache files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::outcome::{CheckOutcome, ExerciseOutcome, ExerciseReport};
use crate::report::scoring;

/// One learner's line of the gradebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub learner: String,
    /// Points, to the hundredth (see [`scoring::round`]).
    pub score: f64,
    pub max_score: f64,
    pub exercises_passed: usize,
    /// Per exercise, in course order: "passed", "failed 1/3 (timed out)", "compile error", …
    pub results: Vec<String>,
    /// Why the submission could not be graded at all, if so.
    pub error: Option<String>,
    /// Whether learner code was kept from other files (Landlock); `concur grade --unisolated`
    /// grades without, and every row says so.
    #[serde(default = "isolated_by_default")]
    pub isolated: bool,
}

fn isolated_by_default() -> bool {
    true
}

impl Row {
    pub fn graded(
        learner: &str,
        course: &Course,
        reports: &[ExerciseReport],
        isolated: bool,
    ) -> Row {
        let (earned, possible) = scoring::totals(&scoring::score(course, reports));
        Row {
            learner: learner.to_string(),
            score: scoring::points(earned),
            max_score: scoring::points(possible),
            exercises_passed: reports
                .iter()
                .filter(|r| r.passed() && !r.not_started())
                .count(),
            results: reports.iter().map(result).collect(),
            error: None,
            isolated,
        }
    }

    /// A submission that could not be graded: zero points, the reason in the last column.
    pub fn ungraded(learner: &str, course: &Course, error: String, isolated: bool) -> Row {
        Row {
            learner: learner.to_string(),
            score: 0.0,
            max_score: scoring::points(
                course
                    .exercises
                    .iter()
                    .map(|e| scoring::cents(e.points))
                    .sum(),
            ),
            exercises_passed: 0,
            results: vec![String::new(); course.exercises.len()],
            error: Some(error),
            isolated,
        }
    }
}

/// What the gradebook says about one exercise.
fn result(report: &ExerciseReport) -> String {
    match &report.outcome {
        ExerciseOutcome::CompileError { .. } => "compile error".into(),
        ExerciseOutcome::NotAllowed { .. } => "not allowed".into(),
        ExerciseOutcome::NotGradable { .. } => "missing".into(),
        ExerciseOutcome::NotStarted => "not started".into(),
        ExerciseOutcome::Checked { .. } if report.not_started() => "not started".into(),
        ExerciseOutcome::Checked { .. } if report.passed() => "passed".into(),
        ExerciseOutcome::Checked { checks } => {
            let (passed, total) = report.check_counts();
            // The most telling way a check went wrong, beyond a plain failed assertion.
            let notable = checks.iter().find_map(|c| match c.outcome {
                CheckOutcome::Passed | CheckOutcome::Failed { .. } => None,
                ref other => Some(other.label()),
            });
            match notable {
                Some(kind) => format!("failed {passed}/{total} ({kind})"),
                None => format!("failed {passed}/{total}"),
            }
        }
    }
}

/// `gradebook.csv`: learner, score, max_score, exercises_passed, one column per exercise, error,
/// isolation (`isolated`, or `unisolated` under `--unisolated`).
pub fn csv(course: &Course, rows: &[Row]) -> String {
    let mut header = vec![
        "learner".to_string(),
        "score".into(),
        "max_score".into(),
        "exercises_passed".into(),
    ];
    header.extend(course.exercises.iter().map(|e| e.name.clone()));
    header.push("error".into());
    header.push("isolation".into());
    let mut text = line(&header);
    for row in rows {
        let mut cells = vec![
            row.learner.clone(),
            points(row.score),
            points(row.max_score),
            row.exercises_passed.to_string(),
        ];
        cells.extend(row.results.iter().cloned());
        cells.push(row.error.clone().unwrap_or_default());
        cells.push(
            if row.isolated {
                "isolated"
            } else {
                "unisolated"
            }
            .into(),
        );
        text.push_str(&line(&cells));
    }
    text
}

/// Points without float noise: "3", "2.5", "0.33".
fn points(p: f64) -> String {
    format!("{}", scoring::round(p))
}

/// One CSV line (RFC 4180: a field with a comma, quote or line break is quoted).
fn line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

/// What is remembered about a graded submission: enough to write its report again in any
/// format without grading it again.
#[derive(Serialize, Deserialize)]
pub struct Cached {
    digest: String,
    pub row: Row,
    /// Its verdicts, or why it could not be graded.
    #[serde(default)]
    pub outcome: Graded,
}

/// A submission's verdicts, as remembered.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum Graded {
    Reports {
        reports: Vec<ExerciseReport>,
        wall: std::time::Duration,
    },
    Error(String),
    /// Remembered by an older concur, which kept only the row.
    #[default]
    Unknown,
}

/// The cache file of `learner` below the output folder.
fn cache_path(output: &Path, learner: &str) -> PathBuf {
    output
        .join(".concur-grade")
        .join(format!("{}.json", file_stem(learner)))
}

/// A learner name as a file name: anything but letters, digits, `-`, `_` and `.` becomes `_`.
pub fn file_stem(learner: &str) -> String {
    let stem: String = learner
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    stem.trim_start_matches('.').to_string()
}

/// What the last run remembered of a submission, if it is unchanged since.
pub fn cached(output: &Path, learner: &str, digest: &str) -> Option<Cached> {
    let text = std::fs::read_to_string(cache_path(output, learner)).ok()?;
    let cached: Cached = serde_json::from_str(&text).ok()?;
    (cached.digest == digest).then_some(cached)
}

/// Remembers `row` and the verdicts behind it for the next run.
pub fn remember(output: &Path, digest: &str, row: &Row, outcome: Graded) -> Result<()> {
    let path = cache_path(output, &row.learner);
    let cached = Cached {
        digest: digest.to_string(),
        row: row.clone(),
        outcome,
    };
    let text = serde_json::to_string_pretty(&cached).context("encoding the grade cache")?;
    crate::files::write_atomically(&path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        let cells = ["ada".to_string(), "a, b".into(), "say \"hi\"".into()];
        assert_eq!(line(&cells), "ada,\"a, b\",\"say \"\"hi\"\"\"\r\n");
    }

    #[test]
    fn points_are_printed_without_float_noise() {
        assert_eq!(points(1.0 / 3.0 + 2.0 / 3.0 + 1.0), "2");
        assert_eq!(points(2.0 / 3.0), "0.67");
        assert_eq!(points(2.5), "2.5");
    }

    #[test]
    fn learner_names_become_safe_file_names() {
        assert_eq!(file_stem("ada lovelace/../x"), "ada_lovelace_.._x");
        assert_eq!(file_stem("..hidden"), "hidden");
    }
}
