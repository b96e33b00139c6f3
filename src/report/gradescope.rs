//! The Gradescope reporter: `results.json` as Gradescope's autograder reads it.
//!
//! In: exercise reports, the course (for points) and the visibility of the tests. Out: a
//! JSON document with `score`, `execution_time`, `output`, `output_format` and `tests[]`
//! (name, score, max_score, status, output, output_format, visibility).

use std::io::{self, Write};

use serde::Serialize;

use super::scoring::{round, score};
use crate::course::Course;
use crate::outcome::ExerciseReport;

/// Who sees a test's result on Gradescope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Visibility {
    /// Never shown to learners (checks are hidden by default)
    Hidden,
    /// Shown once the due date has passed
    AfterDueDate,
    /// Shown once grades are published
    AfterPublished,
    /// Always shown
    Visible,
}

#[derive(Serialize)]
struct Results {
    score: f64,
    execution_time: f64,
    output: String,
    output_format: &'static str,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    output_format: &'static str,
    visibility: Visibility,
}

pub fn write(
    out: &mut dyn Write,
    course: &Course,
    reports: &[ExerciseReport],
    visibility: Visibility,
) -> io::Result<()> {
    let items = score(course, reports);
    let total: f64 = items.iter().map(|i| i.score).sum();
    let max: f64 = items.iter().map(|i| i.max_score).sum();
    let passed = reports.iter().filter(|r| r.passed()).count();
    let results = Results {
        score: round(total),
        execution_time: round(reports.iter().map(|r| r.duration.as_secs_f64()).sum()),
        output: format!(
            "{passed} of {} exercises pass; {} of {} points.",
            reports.len(),
            round(total),
            round(max)
        ),
        output_format: "text",
        tests: items
            .into_iter()
            .map(|i| Test {
                name: i.name,
                score: round(i.score),
                max_score: round(i.max_score),
                status: if i.passed { "passed" } else { "failed" },
                output: i.output,
                output_format: "text",
                visibility,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &results)?;
    writeln!(out)
}
