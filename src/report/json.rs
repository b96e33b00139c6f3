//! The JSON reporter: one document for a whole run, in a versioned schema (`concur.verify/1`).
//!
//! In: exercise reports, the course (for points) and the run's wall time. Out: a JSON document
//! on the writer. The schema is documented in the README; fields are only ever added within a
//! version. Points are those of every other format (see `scoring`).

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use super::scoring;
use crate::course::Course;
use crate::outcome::{CheckOutcome, CheckResult, ExerciseOutcome, ExerciseReport};

/// Names this document's schema; bumped when a field changes meaning or disappears.
pub const SCHEMA: &str = "concur.verify/1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    exercises: Vec<Exercise<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Exercise<'a> {
    name: &'a str,
    path: &'a str,
    /// passed · failed · not_started · compile_error · not_allowed · not_gradable
    status: &'static str,
    /// Still its starting version: it earns nothing (its checks may still have run).
    not_started: bool,
    /// Points earned and possible, to the hundredth.
    score: f64,
    max_score: f64,
    /// Its checks' time (the build, shared by the run, is not in it).
    duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    compile_error: Option<CompileError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    checks: Vec<Check<'a>>,
}

#[derive(Serialize)]
struct CompileError {
    /// rustc's first error, without colour.
    first_error: String,
    errors: usize,
}

#[derive(Serialize)]
struct Check<'a> {
    name: &'a str,
    /// passed · failed · timed_out · crashed · left_process_running · too_much_output
    status: &'static str,
    /// The feedback shown to the learner; empty when passed.
    message: String,
    duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    timing: Option<Timing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measured: Option<Measured<'a>>,
    /// The seed of the check's inputs, when it drew any.
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
}

/// What an experiment's check measured for the comparison table.
#[derive(Serialize)]
struct Measured<'a> {
    approach: &'a str,
    workload: &'a str,
    wall_ms: u64,
    cpu_ms: u64,
    peak_concurrency: usize,
    threads: usize,
    processes: usize,
}

/// Facts of the trace the check published.
#[derive(Serialize)]
struct Timing {
    what: String,
    units: usize,
    peak_concurrency: usize,
    threads: usize,
    processes: usize,
    wall_ms: u64,
}

#[derive(Serialize)]
struct Summary {
    exercises: usize,
    exercises_passed: usize,
    exercises_not_started: usize,
    checks: usize,
    checks_passed: usize,
    score: f64,
    max_score: f64,
    /// The whole run, build included.
    wall_ms: u64,
}

/// Writes the whole run as one JSON document.
pub fn write(
    out: &mut dyn Write,
    course: &Course,
    reports: &[ExerciseReport],
    wall: Duration,
) -> io::Result<()> {
    let items = scoring::score(course, reports);
    let exercises: Vec<Exercise> = reports
        .iter()
        .map(|r| {
            let mine: Vec<_> = items
                .iter()
                .filter(|i| i.exercise == r.name)
                .cloned()
                .collect();
            let (earned, possible) = scoring::totals(&mine);
            exercise(r, scoring::points(earned), scoring::points(possible))
        })
        .collect();
    let (earned, possible) = scoring::totals(&items);
    let summary = Summary {
        exercises: reports.len(),
        exercises_passed: reports
            .iter()
            .filter(|r| r.passed() && !r.not_started())
            .count(),
        exercises_not_started: reports.iter().filter(|r| r.not_started()).count(),
        checks: reports.iter().map(|r| r.check_counts().1).sum(),
        checks_passed: reports.iter().map(|r| r.check_counts().0).sum(),
        score: scoring::points(earned),
        max_score: scoring::points(possible),
        wall_ms: millis(wall),
    };
    let doc = Document {
        schema: SCHEMA,
        exercises,
        summary,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The document of a run that could not grade: no exercises, and why.
pub fn write_error(out: &mut dyn Write, reason: &str) -> io::Result<()> {
    let doc = serde_json::json!({
        "schema": SCHEMA,
        "error": reason,
        "exercises": [],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn exercise(report: &ExerciseReport, score: f64, max_score: f64) -> Exercise<'_> {
    let (status, compile_error, reason, checks) = match &report.outcome {
        ExerciseOutcome::Checked { checks } => (
            if report.not_started() {
                "not_started"
            } else if report.passed() {
                "passed"
            } else {
                "failed"
            },
            None,
            None,
            checks.iter().map(check).collect(),
        ),
        ExerciseOutcome::CompileError {
            first_error,
            errors,
        } => (
            "compile_error",
            Some(CompileError {
                first_error: anstream::adapter::strip_str(first_error).to_string(),
                errors: *errors,
            }),
            None,
            Vec::new(),
        ),
        ExerciseOutcome::NotAllowed { first, .. } => {
            ("not_allowed", None, Some(first.as_str()), Vec::new())
        }
        ExerciseOutcome::NotGradable { reason } => {
            ("not_gradable", None, Some(reason.as_str()), Vec::new())
        }
        ExerciseOutcome::NotStarted => ("not_started", None, None, Vec::new()),
    };
    Exercise {
        name: &report.name,
        path: &report.path,
        status,
        not_started: report.not_started(),
        score,
        max_score,
        duration_ms: millis(report.duration),
        compile_error,
        reason,
        checks,
    }
}

fn check(result: &CheckResult) -> Check<'_> {
    let status = match result.outcome {
        CheckOutcome::Passed => "passed",
        CheckOutcome::Failed { .. } => "failed",
        CheckOutcome::TimedOut { .. } => "timed_out",
        CheckOutcome::Crashed { .. } => "crashed",
        CheckOutcome::LeftProcessRunning { .. } => "left_process_running",
        CheckOutcome::TooMuchOutput { .. } => "too_much_output",
    };
    let timing = result.timeline.as_ref().map(|published| {
        let trace = concur_kit::Trace::from_spans(published.spans.clone());
        Timing {
            what: published.title.clone(),
            units: trace.len(),
            peak_concurrency: trace.peak_overlap(),
            threads: trace.distinct_threads(),
            processes: trace.distinct_pids(),
            wall_ms: millis(trace.wall()),
        }
    });
    Check {
        name: &result.name,
        status,
        message: super::human::feedback(&result.outcome),
        duration_ms: millis(result.duration),
        timing,
        measured: result.measurement.as_ref().map(|m| Measured {
            approach: &m.approach,
            workload: &m.workload,
            wall_ms: millis(m.wall()),
            cpu_ms: millis(m.cpu()),
            peak_concurrency: m.peak,
            threads: m.threads,
            processes: m.processes,
        }),
        seed: result.seed,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
