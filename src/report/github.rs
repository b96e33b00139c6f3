//! The GitHub Classroom reporter: the result envelope of Classroom's command grader.
//!
//! In: exercise reports and the course (for points). Out: `{version, status, max_score,
//! tests[]}` with each test's name, status (pass/fail/error), message, score and
//! execution_time. The Classroom grading reporter reads it base64-encoded from
//! `<RUNNER>_RESULTS`; the workflow in `templates/github-classroom/` does that step.

use std::io::{self, Write};

use serde::Serialize;

use super::scoring::{round, score};
use crate::course::Course;
use crate::outcome::{ExerciseOutcome, ExerciseReport};

#[derive(Serialize)]
struct Envelope {
    version: u32,
    status: &'static str,
    max_score: f64,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    status: &'static str,
    message: Option<String>,
    score: f64,
    max_score: f64,
    execution_time: String,
}

pub fn write(out: &mut dyn Write, course: &Course, reports: &[ExerciseReport]) -> io::Result<()> {
    let items = score(course, reports);
    let errored = reports
        .iter()
        .any(|r| matches!(r.outcome, ExerciseOutcome::NotGradable { .. }));
    let status = if errored {
        "error"
    } else if items.iter().all(|i| i.passed) {
        "pass"
    } else {
        "fail"
    };
    let envelope = Envelope {
        version: 1,
        status,
        max_score: round(items.iter().map(|i| i.max_score).sum::<f64>()),
        tests: items
            .into_iter()
            .map(|i| Test {
                status: if i.passed { "pass" } else { "fail" },
                message: (!i.output.is_empty()).then_some(i.output),
                score: i.score,
                max_score: i.max_score,
                execution_time: format!("{:.2}s", i.seconds),
                name: i.name,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &envelope)?;
    writeln!(out)
}
