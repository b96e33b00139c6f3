//! Reporters: they turn outcomes into text for a writer they are given.
//!
//! In: `ExerciseReport`s. Out: bytes on a writer. The human reporter writes colour as ANSI
//! styles and the caller hands in an `anstream` writer, which strips them for pipes and
//! `NO_COLOR`; the machine formats (JSON, JUnit XML) never carry colour.

pub mod comparison;
pub mod github;
pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;
pub mod scoring;

pub use human::Human;

/// The output formats of `concur verify --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Coloured text for a person
    Human,
    /// One JSON document, schema `concur.verify/1`
    Json,
    /// JUnit XML: a test suite per exercise, a test case per check
    Junit,
    /// Gradescope's results.json, with points from info.toml
    Gradescope,
    /// GitHub Classroom's command-grader result envelope
    Github,
}

impl Format {
    /// The file extension of a report in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Human => "txt",
            Format::Json | Format::Gradescope | Format::Github => "json",
            Format::Junit => "xml",
        }
    }
}

/// The whole report of a run in `format`, as bytes (human text without colour). `wall` is the
/// run's wall time, build included.
pub fn render(
    format: Format,
    course: &crate::course::Course,
    reports: &[crate::outcome::ExerciseReport],
    visibility: gradescope::Visibility,
    verbose: bool,
    wall: std::time::Duration,
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    match format {
        Format::Human => {
            let human = Human {
                verbose,
                glyphs: concur_kit::timeline::Glyphs::Ascii,
                columns: None,
            };
            for report in reports {
                human.exercise(&mut buf, report)?;
            }
            human.summary(&mut buf, reports)?;
            buf = anstream::adapter::strip_bytes(&buf).into_vec();
        }
        Format::Json => json::write(&mut buf, course, reports, wall)?,
        Format::Junit => junit::write(&mut buf, reports, wall)?,
        Format::Gradescope => gradescope::write(&mut buf, course, reports, visibility, wall)?,
        Format::Github => github::write(&mut buf, course, reports)?,
    }
    Ok(buf)
}

/// A report in `format` for a run that could not grade at all (a usage error, a toolchain that
/// failed): every format says why, so a platform reading it records a grade of nothing rather
/// than failing on an empty file.
pub fn render_error(
    format: Format,
    course: Option<&crate::course::Course>,
    reason: &str,
    visibility: gradescope::Visibility,
) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut buf = Vec::new();
    match format {
        Format::Human => writeln!(buf, "concur could not grade: {reason}")?,
        Format::Json => json::write_error(&mut buf, reason)?,
        Format::Junit => junit::write_error(&mut buf, reason)?,
        Format::Gradescope => gradescope::write_error(&mut buf, reason, visibility)?,
        Format::Github => github::write_error(&mut buf, course, reason)?,
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::outcome::{CheckOutcome, CheckResult, ExerciseOutcome, ExerciseReport};

    /// One exercise of each kind: passing with a timeline, failing, and not compiling.
    fn reports() -> Vec<ExerciseReport> {
        let check = |name: &str, outcome| CheckResult {
            name: name.into(),
            outcome,
            duration: Duration::from_millis(250),
            output: String::new(),
            timeline: None,
            measurement: None,
            seed: None,
        };
        let mut timed = check("jobs_overlap", CheckOutcome::Passed);
        timed.timeline = Some(concur_kit::publish::Published {
            title: "jobs".into(),
            spans: (0..4)
                .map(|i| {
                    concur_kit::Span::new(
                        format!("job {i}"),
                        0,
                        100_000,
                        format!("ThreadId({i})"),
                        7,
                    )
                })
                .collect(),
        });
        vec![
            ExerciseReport {
                name: "worker_pool".into(),
                path: "exercises/02_queues/worker_pool.rs".into(),
                duration: Duration::from_millis(900),
                outcome: ExerciseOutcome::Checked {
                    checks: vec![check("all_jobs", CheckOutcome::Passed), timed],
                },
                unchanged: false,
            },
            ExerciseReport {
                name: "breakfast".into(),
                path: "exercises/00_intro/breakfast.rs".into(),
                duration: Duration::from_millis(700),
                outcome: ExerciseOutcome::Checked {
                    checks: vec![
                        check(
                            "overlap",
                            CheckOutcome::Failed {
                                message: "peak overlap 1 <expected> 2 & more".into(),
                            },
                        ),
                        check(
                            "finishes",
                            CheckOutcome::TimedOut {
                                limit: Duration::from_secs(10),
                                idle: true,
                            },
                        ),
                    ],
                },
                unchanged: false,
            },
            ExerciseReport {
                name: "fetch_all".into(),
                path: "exercises/06_web_client/fetch_all.rs".into(),
                duration: Duration::from_millis(300),
                outcome: ExerciseOutcome::CompileError {
                    first_error: "\u{1b}[1merror[E0308]\u{1b}[0m: mismatched types".into(),
                    errors: 2,
                },
                unchanged: false,
            },
        ]
    }

    /// The run's wall time in these tests: the build plus the checks.
    const WALL: Duration = Duration::from_millis(4_321);

    fn rendered(format: Format) -> String {
        let bytes = super::render(
            format,
            &course(),
            &reports(),
            gradescope::Visibility::AfterPublished,
            false,
            WALL,
        )
        .expect("render to a Vec");
        String::from_utf8(bytes).expect("utf8")
    }

    #[test]
    fn json_follows_its_schema() {
        let text = rendered(Format::Json);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["schema"], json::SCHEMA);
        assert_eq!(doc["summary"]["exercises"], 3);
        assert_eq!(doc["summary"]["exercises_passed"], 1);
        assert_eq!(doc["summary"]["checks"], 4);
        assert_eq!(doc["summary"]["checks_passed"], 2);
        assert_eq!(doc["summary"]["score"], 2.0);
        assert_eq!(doc["summary"]["max_score"], 6.0);
        assert_eq!(doc["summary"]["wall_ms"], 4321);
        let exercises = doc["exercises"].as_array().expect("exercises");
        let statuses: Vec<&str> = exercises
            .iter()
            .map(|e| e["status"].as_str().expect("status"))
            .collect();
        assert_eq!(statuses, ["passed", "failed", "compile_error"]);
        // An exercise's time is its checks' own, not the build the run shares.
        assert_eq!(exercises[0]["duration_ms"], 900);
        assert_eq!(exercises[0]["score"], 2.0);
        let timing = &exercises[0]["checks"][1]["timing"];
        assert_eq!(timing["peak_concurrency"], 4);
        assert_eq!(timing["threads"], 4);
        assert_eq!(exercises[1]["checks"][1]["status"], "timed_out");
        let first_error = exercises[2]["compile_error"]["first_error"]
            .as_str()
            .expect("error");
        assert!(
            !first_error.contains('\u{1b}'),
            "colour leaked: {first_error:?}"
        );
        insta::assert_snapshot!(text);
    }

    /// What `junit-10.xsd` (the Jenkins schema most JUnit consumers follow) allows, as
    /// assertions: the attributes of `<testsuites>`, the required attributes of `<testsuite>`
    /// and `<testcase>`, and the form of `time`.
    fn assert_junit_10(doc: &roxmltree::Document) {
        let time_ok = |t: &str| {
            let (int, frac) = t.split_once('.').unwrap_or((t, ""));
            !int.is_empty()
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        };
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        for attr in root.attributes() {
            assert!(
                ["name", "time", "tests", "failures", "errors"].contains(&attr.name()),
                "<testsuites> may not have `{}`",
                attr.name()
            );
        }
        assert!(
            root.attribute("time").is_some_and(time_ok),
            "the root needs a time"
        );
        for suite in root.children().filter(|n| n.is_element()) {
            assert_eq!(suite.tag_name().name(), "testsuite");
            for required in ["name", "tests", "failures", "errors"] {
                assert!(
                    suite.attribute(required).is_some(),
                    "<testsuite> needs {required}"
                );
            }
            assert!(suite.attribute("time").is_some_and(time_ok));
            for case in suite.children().filter(|n| n.is_element()) {
                assert_eq!(case.tag_name().name(), "testcase");
                assert!(case.attribute("name").is_some());
                assert!(
                    case.attribute("time").is_some_and(time_ok),
                    "every case has a time"
                );
                for outcome in case.children().filter(|n| n.is_element()) {
                    assert!(["failure", "error", "skipped", "system-out", "system-err"]
                        .contains(&outcome.tag_name().name()));
                }
            }
        }
    }

    #[test]
    fn junit_follows_junit_10_with_a_suite_per_exercise() {
        let text = rendered(Format::Junit);
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        assert_junit_10(&doc);
        let root = doc.root_element();
        assert_eq!(root.attribute("tests"), Some("5"));
        assert_eq!(root.attribute("time"), Some("4.321"));
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        let names: Vec<_> = suites.iter().filter_map(|s| s.attribute("name")).collect();
        assert_eq!(names, ["worker_pool", "breakfast", "fetch_all"]);
        assert_eq!(
            suites[0].attribute("time"),
            Some("0.900"),
            "checks only, no build"
        );
        let breakfast: Vec<_> = suites[1]
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(breakfast.len(), 2);
        let failure = breakfast[0]
            .children()
            .find(|n| n.has_tag_name("failure"))
            .expect("a failure element");
        // The feedback once, in the body; the attribute names the kind of outcome.
        assert_eq!(failure.attribute("message"), Some("failed"));
        assert_eq!(failure.text(), Some("peak overlap 1 <expected> 2 & more"));
        assert!(
            breakfast[1].children().any(|n| n.has_tag_name("error")),
            "timeout is an error"
        );
        assert_eq!(breakfast[0].attribute("time"), Some("0.250"));
        insta::assert_snapshot!(text);
    }

    #[test]
    fn every_format_writes_a_report_when_nothing_could_be_graded() {
        for format in [
            Format::Json,
            Format::Junit,
            Format::Gradescope,
            Format::Github,
        ] {
            let bytes = super::render_error(
                format,
                Some(&course()),
                "cargo failed",
                gradescope::Visibility::AfterPublished,
            )
            .expect("render");
            let text = String::from_utf8(bytes).expect("utf8");
            assert!(text.contains("cargo failed"), "{format:?}: {text}");
            match format {
                Format::Junit => {
                    assert_junit_10(&roxmltree::Document::parse(&text).expect("XML"));
                }
                _ => {
                    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                    if format == Format::Github {
                        assert_eq!(doc["status"], "error");
                        assert_eq!(doc["max_score"], 6.0, "no points out of the course's");
                        assert_eq!(doc["tests"][0]["line_no"], 0);
                    }
                    if format == Format::Gradescope {
                        assert_eq!(doc["score"], 0.0);
                    }
                }
            }
        }
    }
    fn course() -> crate::course::Course {
        let ex = |name: &str, index, points, all_or_nothing| crate::course::Exercise {
            name: name.into(),
            dir: "d".into(),
            hints: vec!["h".into()],
            timeout: Duration::from_secs(10),
            program: false,
            schedule: crate::course::Schedule::OneByOne,
            index,
            points,
            all_or_nothing,
            allow: Vec::new(),
            deny: Vec::new(),
        };
        crate::course::Course {
            root: "/course".into(),
            home: "/course".into(),
            welcome_message: None,
            final_message: None,
            exercises: vec![
                ex("worker_pool", 0, 2.0, false),
                ex("breakfast", 1, 3.0, true),
                ex("fetch_all", 2, 1.0, false),
            ],
        }
    }

    #[test]
    fn gradescope_results_have_the_documented_fields_and_points() {
        let text = rendered(Format::Gradescope);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        // worker_pool: 2 points split over 2 passing checks; breakfast: 3, all or nothing,
        // failed; fetch_all: does not compile.
        assert_eq!(doc["score"], 2.0);
        assert_eq!(doc["output_format"], "text");
        assert_eq!(doc["visibility"], "after_published");
        // The run's wall time, not a sum of per-exercise times that each hold the build.
        assert_eq!(doc["execution_time"], 4.32);
        let tests = doc["tests"].as_array().expect("tests");
        assert_eq!(tests.len(), 4);
        for test in tests {
            for field in [
                "name",
                "score",
                "max_score",
                "status",
                "output",
                "visibility",
            ] {
                assert!(test.get(field).is_some(), "{field} missing in {test}");
            }
            assert_eq!(test["visibility"], "after_published");
            assert!(["passed", "failed"].contains(&test["status"].as_str().expect("status")));
        }
        assert_eq!(tests[0]["name"], "worker_pool: all_jobs");
        assert_eq!(tests[0]["max_score"], 1.0);
        assert_eq!(tests[2]["name"], "breakfast");
        assert_eq!(tests[2]["max_score"], 3.0);
        assert_eq!(tests[2]["score"], 0.0);
        let max: f64 = tests
            .iter()
            .map(|t| t["max_score"].as_f64().expect("number"))
            .sum();
        assert_eq!(max, 6.0);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn an_untouched_starting_file_earns_no_points_for_the_checks_it_passes() {
        // worker_pool passes both its checks (2 points, split); breakfast and fetch_all earn
        // nothing. While worker_pool's file is still its starting version, it earns nothing.
        let mut reports = reports();
        let scored = |reports: &[ExerciseReport]| -> (f64, Vec<scoring::Scored>) {
            let items = scoring::score(&course(), reports);
            (scoring::points(scoring::totals(&items).0), items)
        };
        assert_eq!(scored(&reports).0, 2.0);
        reports[0].unchanged = true;
        let (total, items) = scored(&reports);
        assert_eq!(total, 0.0);
        let first = &items[0];
        assert_eq!(first.name, "worker_pool: all_jobs");
        assert!(!first.passed);
        assert_eq!(
            first.output,
            "not started: exercises/02_queues/worker_pool.rs is still its starting version"
        );
        assert_eq!(first.max_score(), 1.0, "what it is worth does not change");
    }

    /// What Classroom's grading reporter does with an envelope: it prints `name - line N`
    /// unless `line_no` is 0, its console total is passed tests ÷ tests × max_score, and
    /// Classroom records the sum of the tests' scores.
    fn classroom_reads(doc: &serde_json::Value) -> (f64, f64) {
        let tests = doc["tests"].as_array().expect("tests");
        let passed = tests.iter().filter(|t| t["status"] == "pass").count() as f64;
        let max = doc["max_score"].as_f64().expect("max_score");
        let console = passed / tests.len() as f64 * max;
        let recorded: f64 = tests
            .iter()
            .map(|t| t["score"].as_f64().expect("score"))
            .sum();
        (console, recorded)
    }

    #[test]
    fn github_envelope_is_what_the_classroom_reporter_reads() {
        let text = rendered(Format::Github);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["status"], "fail");
        assert_eq!(doc["max_score"], 6.0);
        let tests = doc["tests"].as_array().expect("tests");
        // One test per point: worker_pool 2, breakfast 3, fetch_all 1.
        assert_eq!(tests.len(), 6);
        for test in tests {
            assert!(test["name"].is_string());
            assert_eq!(
                test["line_no"], 0,
                "else the reporter prints `line undefined`"
            );
            assert!(["pass", "fail", "error"].contains(&test["status"].as_str().expect("status")));
        }
        let (console, recorded) = classroom_reads(&doc);
        assert_eq!(
            (console, recorded),
            (2.0, 2.0),
            "the log and Classroom agree"
        );
        insta::assert_snapshot!(text);
    }

    #[test]
    fn a_huge_panic_message_stays_far_below_what_an_environment_variable_holds() {
        let mut reports = reports();
        if let ExerciseOutcome::Checked { checks } = &mut reports[1].outcome {
            checks[0].outcome = CheckOutcome::Failed {
                message: "x".repeat(300_000),
            };
        }
        let mut buf = Vec::new();
        github::write(&mut buf, &course(), &reports).expect("render");
        let base64 = buf.len().div_ceil(3) * 4;
        assert!(base64 < 100 * 1024, "{base64} bytes once encoded");
        let doc: serde_json::Value = serde_json::from_slice(&buf).expect("valid JSON");
        assert_eq!(classroom_reads(&doc), (2.0, 2.0));
        let mut buf = Vec::new();
        gradescope::write(
            &mut buf,
            &course(),
            &reports,
            gradescope::Visibility::Visible,
            WALL,
        )
        .expect("render");
        assert!(buf.len() < 64 * 1024, "{} bytes", buf.len());
    }

    #[test]
    fn split_points_add_up_in_every_format() {
        // Three checks sharing one point: 0.34 + 0.33 + 0.33, never 0.99 or 1.0000000000000002.
        let mut course = course();
        course.exercises[0].points = 1.0;
        let mut reports = reports();
        if let ExerciseOutcome::Checked { checks } = &mut reports[0].outcome {
            let third = checks[0].clone();
            checks.push(third);
        }
        let bytes = super::render(
            Format::Gradescope,
            &course,
            &reports,
            gradescope::Visibility::Visible,
            false,
            WALL,
        )
        .expect("render");
        let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        let scores: Vec<f64> = doc["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .take(3)
            .map(|t| t["max_score"].as_f64().expect("max"))
            .collect();
        assert_eq!(scores, [0.34, 0.33, 0.33]);
        assert_eq!(doc["score"], 1.0);
        let json = super::render(
            Format::Json,
            &course,
            &reports,
            gradescope::Visibility::Visible,
            false,
            WALL,
        )
        .expect("render");
        let json: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
        assert_eq!(json["summary"]["score"], doc["score"]);
    }
}
