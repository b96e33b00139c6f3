//! The GitHub Classroom reporter: the result envelope of Classroom's command grader.
//!
//! In: exercise reports and the course (for points). Out: `{version, status, max_score,
//! tests[]}` with each test's name, status (pass/fail/error), message, line_no, score and
//! max_score. The Classroom grading reporter reads it base64-encoded from `<RUNNER>_RESULTS`;
//! the workflow in `templates/github-classroom/` does that step.
//!
//! How that reporter counts, which this envelope is built for: it prints `name - line
//! {line_no}` unless `line_no` is 0; it prints a test's `message` only for status `error`
//! (so concur prints its own report to the log as well); its console total is *passed tests
//! ÷ tests × max_score*, while Classroom records the plain sum of the tests' `score`s. The two
//! agree only when every test is worth the same, so each exercise is one test per point it
//! is worth (an exercise of 2 points is two tests), passed when the exercise passes: whole
//! numbers, no float noise, and the same total in the log and in Classroom. (An exercise with
//! fractional points is one test of that score; then the two totals may differ.) The whole
//! result is kept far below the 128 KiB an environment variable may hold once base64-encoded.

use std::io::{self, Write};

use serde::Serialize;

use super::scoring::{self, capped, not_started_message, points};
use crate::course::Course;
use crate::outcome::{ExerciseOutcome, ExerciseReport};

/// The most one test's message may hold at first; halved until the result fits.
const MESSAGE_CAP: usize = 4096;
/// The most the whole result may take before base64 (which adds a third).
pub const RESULT_CAP: usize = 64 * 1024;

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
    message: String,
    line_no: u32,
    score: f64,
    max_score: f64,
}

pub fn write(out: &mut dyn Write, course: &Course, reports: &[ExerciseReport]) -> io::Result<()> {
    let errored = reports
        .iter()
        .any(|r| matches!(r.outcome, ExerciseOutcome::NotGradable { .. }));
    let all_pass = reports.iter().all(|r| r.passed() && !r.not_started());
    let status = if errored {
        "error"
    } else if all_pass {
        "pass"
    } else {
        "fail"
    };
    let mut cap = MESSAGE_CAP;
    loop {
        let envelope = envelope(course, reports, status, cap);
        let text = serde_json::to_vec_pretty(&envelope).map_err(io::Error::other)?;
        if text.len() <= RESULT_CAP || cap < 64 {
            out.write_all(&text)?;
            return writeln!(out);
        }
        cap /= 2;
    }
}

fn envelope(
    course: &Course,
    reports: &[ExerciseReport],
    status: &'static str,
    cap: usize,
) -> Envelope {
    let mut tests = Vec::new();
    for report in reports {
        let cents = course
            .exercises
            .iter()
            .find(|e| e.name == report.name)
            .map_or(100, |e| scoring::cents(e.points));
        let passed = report.passed() && !report.not_started();
        let message = capped(
            &if report.not_started() {
                not_started_message(report)
            } else {
                scoring::summary(&report.outcome)
            },
            cap,
        );
        let test_status = match report.outcome {
            ExerciseOutcome::NotGradable { .. } => "error",
            _ if passed => "pass",
            _ => "fail",
        };
        // One test per whole point, all passing or failing together.
        let (count, each) = if cents >= 100 && cents % 100 == 0 {
            (cents / 100, 100)
        } else {
            (1, cents)
        };
        for i in 1..=count {
            tests.push(Test {
                name: if count == 1 {
                    report.name.clone()
                } else {
                    format!("{} ({i} of {count} points)", report.name)
                },
                status: test_status,
                message: message.clone(),
                line_no: 0,
                score: if passed { points(each) } else { 0.0 },
                max_score: points(each),
            });
        }
    }
    let max: u64 = reports
        .iter()
        .map(|r| {
            course
                .exercises
                .iter()
                .find(|e| e.name == r.name)
                .map_or(100, |e| scoring::cents(e.points))
        })
        .sum();
    Envelope {
        version: 1,
        status,
        max_score: points(max),
        tests,
    }
}

/// The envelope of a run that could not grade: status `error`, the reason as the message (the
/// reporter prints it), and no points out of the course's.
pub fn write_error(out: &mut dyn Write, course: Option<&Course>, reason: &str) -> io::Result<()> {
    let max: u64 = course.map_or(0, |c| {
        c.exercises.iter().map(|e| scoring::cents(e.points)).sum()
    });
    let envelope = Envelope {
        version: 1,
        status: "error",
        max_score: points(max),
        tests: vec![Test {
            name: "concur".into(),
            status: "error",
            message: format!("concur could not grade: {}", capped(reason, MESSAGE_CAP)),
            line_no: 0,
            score: 0.0,
            max_score: points(max),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &envelope)?;
    writeln!(out)
}
