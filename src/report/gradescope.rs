//! The Gradescope reporter: `results.json` as Gradescope's autograder reads it.
//!
//! In: exercise reports, the course (for points), the visibility of the tests and the run's
//! wall time. Out: a JSON document with `score`, `execution_time`, `output`, `output_format`,
//! `visibility`, `tests[]` (name, score, max_score, status, output, output_format,
//! visibility), and, when an experiment measured its approaches, a `leaderboard` of their
//! wall times and the measured table in `extra_data`.
//!
//! Following Gradescope's specification: `score` is the total (here exactly the sum of the
//! tests' scores, which are hundredths split so each exercise's parts add up), outputs are
//! capped so one runaway panic message cannot swamp the page, and `execution_time` is the
//! run's wall time in seconds.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use super::scoring::{capped, points, score, totals};
use crate::course::Course;
use crate::outcome::ExerciseReport;

/// The most one test's output may hold.
pub const OUTPUT_CAP: usize = 4096;

/// Who sees a test's result on Gradescope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Visibility {
    /// Never shown to learners
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
    visibility: Visibility,
    tests: Vec<Test>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    leaderboard: Vec<Leader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_data: Option<serde_json::Value>,
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

/// One leaderboard column: Gradescope ranks submissions by it.
#[derive(Serialize)]
struct Leader {
    name: String,
    value: f64,
    order: &'static str,
}

pub fn write(
    out: &mut dyn Write,
    course: &Course,
    reports: &[ExerciseReport],
    visibility: Visibility,
    wall: Duration,
) -> io::Result<()> {
    let items = score(course, reports);
    let (earned, possible) = totals(&items);
    let passed = reports
        .iter()
        .filter(|r| r.passed() && !r.not_started())
        .count();
    let not_started = reports.iter().filter(|r| r.not_started()).count();
    let mut output = format!(
        "{passed} of {} exercises pass; {} of {} points.",
        reports.len(),
        points(earned),
        points(possible)
    );
    if not_started > 0 {
        output.push_str(&format!(
            " {not_started} exercise{} not started (still the starting version: no points).",
            if not_started == 1 { "" } else { "s" }
        ));
    }
    let measured: Vec<_> = reports
        .iter()
        .flat_map(|r| match &r.outcome {
            crate::outcome::ExerciseOutcome::Checked { checks } => checks
                .iter()
                .filter_map(|c| c.measurement.clone())
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect();
    let leaderboard = measured
        .iter()
        .map(|m| Leader {
            name: format!("{} on {} (ms)", m.approach, m.workload),
            value: m.wall().as_millis() as f64,
            order: "asc",
        })
        .collect();
    let extra_data = (!measured.is_empty()).then(|| {
        serde_json::json!({
            "measured": measured
                .iter()
                .map(|m| serde_json::json!({
                    "approach": m.approach,
                    "workload": m.workload,
                    "wall_ms": m.wall().as_millis() as u64,
                    "cpu_ms": m.cpu().as_millis() as u64,
                    "peak_concurrency": m.peak,
                    "threads": m.threads,
                    "processes": m.processes,
                }))
                .collect::<Vec<_>>()
        })
    });
    let results = Results {
        score: points(earned),
        execution_time: (wall.as_secs_f64() * 100.0).round() / 100.0,
        output,
        output_format: "text",
        visibility,
        tests: items
            .into_iter()
            .map(|i| Test {
                score: i.score(),
                max_score: i.max_score(),
                status: if i.passed { "passed" } else { "failed" },
                output: capped(&i.output, OUTPUT_CAP),
                output_format: "text",
                visibility,
                name: i.name,
            })
            .collect(),
        leaderboard,
        extra_data,
    };
    serde_json::to_writer_pretty(&mut *out, &results)?;
    writeln!(out)
}

/// The results of a run that could not grade at all: no points, and why.
pub fn write_error(out: &mut dyn Write, reason: &str, visibility: Visibility) -> io::Result<()> {
    let results = serde_json::json!({
        "score": 0.0,
        "execution_time": 0.0,
        "output": format!("concur could not grade this submission: {}", capped(reason, OUTPUT_CAP)),
        "output_format": "text",
        "visibility": visibility,
        "tests": [],
    });
    serde_json::to_writer_pretty(&mut *out, &results)?;
    writeln!(out)
}
