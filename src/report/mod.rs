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

/// The whole report of a run in `format`, as bytes (human text without colour).
pub fn render(
    format: Format,
    course: &crate::course::Course,
    reports: &[crate::outcome::ExerciseReport],
    visibility: gradescope::Visibility,
    verbose: bool,
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    match format {
        Format::Human => {
            let human = Human {
                verbose,
                glyphs: concur_kit::timeline::Glyphs::Ascii,
            };
            for report in reports {
                human.exercise(&mut buf, report)?;
            }
            human.summary(&mut buf, reports)?;
            buf = anstream::adapter::strip_bytes(&buf).into_vec();
        }
        Format::Json => json::write(&mut buf, reports)?,
        Format::Junit => junit::write(&mut buf, reports)?,
        Format::Gradescope => gradescope::write(&mut buf, course, reports, visibility)?,
        Format::Github => github::write(&mut buf, course, reports)?,
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

    fn render(f: fn(&mut dyn std::io::Write, &[ExerciseReport]) -> std::io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf, &reports()).expect("render to a Vec");
        String::from_utf8(buf).expect("utf8")
    }

    #[test]
    fn json_follows_its_schema() {
        let text = render(json::write);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["schema"], json::SCHEMA);
        assert_eq!(doc["summary"]["exercises"], 3);
        assert_eq!(doc["summary"]["exercises_passed"], 1);
        assert_eq!(doc["summary"]["checks"], 4);
        assert_eq!(doc["summary"]["checks_passed"], 2);
        let exercises = doc["exercises"].as_array().expect("exercises");
        let statuses: Vec<&str> = exercises
            .iter()
            .map(|e| e["status"].as_str().expect("status"))
            .collect();
        assert_eq!(statuses, ["passed", "failed", "compile_error"]);
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

    #[test]
    fn junit_is_well_formed_with_a_suite_per_exercise() {
        let text = render(junit::write);
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        assert_eq!(root.attribute("tests"), Some("5"));
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        let names: Vec<_> = suites.iter().filter_map(|s| s.attribute("name")).collect();
        assert_eq!(names, ["worker_pool", "breakfast", "fetch_all"]);
        let breakfast: Vec<_> = suites[1]
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(breakfast.len(), 2);
        let failure = breakfast[0]
            .children()
            .find(|n| n.has_tag_name("failure"))
            .expect("a failure element");
        assert_eq!(
            failure.attribute("message"),
            Some("peak overlap 1 <expected> 2 & more")
        );
        assert!(
            breakfast[1].children().any(|n| n.has_tag_name("error")),
            "timeout is an error"
        );
        assert_eq!(breakfast[0].attribute("time"), Some("0.250"));
        insta::assert_snapshot!(text);
    }

    fn course() -> crate::course::Course {
        let ex = |name: &str, index, points, all_or_nothing| crate::course::Exercise {
            name: name.into(),
            dir: "d".into(),
            hints: vec!["h".into()],
            timeout: Duration::from_secs(10),
            program: false,
            parallel: false,
            index,
            points,
            all_or_nothing,
            allow: Vec::new(),
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
        let mut buf = Vec::new();
        gradescope::write(
            &mut buf,
            &course(),
            &reports(),
            gradescope::Visibility::Hidden,
        )
        .expect("render");
        let text = String::from_utf8(buf).expect("utf8");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        // worker_pool: 2 points split over 2 passing checks; breakfast: 3, all or nothing,
        // failed; fetch_all: does not compile.
        assert_eq!(doc["score"], 2.0);
        assert_eq!(doc["output_format"], "text");
        assert!(doc["execution_time"].is_number());
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
            assert_eq!(test["visibility"], "hidden");
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
            (items.iter().map(|i| i.score).sum(), items)
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
        assert_eq!(first.max_score, 1.0, "what it is worth does not change");
    }

    #[test]
    fn github_envelope_is_what_the_classroom_reporter_reads() {
        let mut buf = Vec::new();
        github::write(&mut buf, &course(), &reports()).expect("render");
        let text = String::from_utf8(buf).expect("utf8");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["status"], "fail");
        assert_eq!(doc["max_score"], 6.0);
        let tests = doc["tests"].as_array().expect("tests");
        let total: f64 = tests
            .iter()
            .map(|t| t["score"].as_f64().expect("score"))
            .sum();
        assert_eq!(total, 2.0);
        for test in tests {
            assert!(test["name"].is_string());
            assert!(["pass", "fail", "error"].contains(&test["status"].as_str().expect("status")));
        }
        insta::assert_snapshot!(text);
    }
}
