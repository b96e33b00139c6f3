//! The reports as their consumers read them: the GitHub Classroom envelope by the grading
//! reporter's rules (how it prints and how it sums), JUnit XML by a real parser
//! (`junitparser`, installed from PyPI into a virtual environment in the target folder), and
//! Gradescope's `results.json` as written by the `run_autograder` template, run for real on a
//! local copy of the autograder's folder layout. A report is written on every exit.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;

/// The JUnit parser's version, pinned so the test reads XML the same way on every machine.
const JUNITPARSER: &str = "junitparser==4.0.2";

fn course() -> tempfile::TempDir {
    copy_course(&fixture("watch"))
}

/// The course with `first` solved and `second` still its starting file.
fn half_solved(course: &Path) {
    std::fs::copy(
        course.join("solutions/basics/first.rs"),
        course.join("exercises/basics/first.rs"),
    )
    .expect("copy");
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the report exists"))
        .expect("the report is JSON")
}

#[test]
fn the_github_result_prints_and_sums_the_same_in_the_log_and_in_classroom() {
    let _serial = grading_lock();
    let course = course();
    half_solved(course.path());
    let result = course.path().join("result.json");
    let output = concur(course.path())
        .args(["verify", "--format", "github", "--output"])
        .arg(&result)
        .output()
        .expect("concur runs");
    assert_eq!(output.status.code(), Some(1));
    // The reporter prints a message only for errors, so concur's own log says why.
    let log = stdout_of(&output);
    assert!(log.contains("✓ first") && log.contains("✗ second"), "{log}");
    let doc = json(&result);
    assert_eq!(doc["status"], "fail");
    let tests = doc["tests"].as_array().expect("tests");
    for test in tests {
        assert_eq!(
            test["line_no"], 0,
            "the reporter would print `line undefined`"
        );
    }
    // The reporter's console total, and what Classroom records.
    let passed = tests.iter().filter(|t| t["status"] == "pass").count() as f64;
    let max = doc["max_score"].as_f64().expect("max");
    let console = passed / tests.len() as f64 * max;
    let recorded: f64 = tests
        .iter()
        .map(|t| t["score"].as_f64().expect("score"))
        .sum();
    assert_eq!((console, recorded, max), (1.0, 1.0, 2.0));
}

#[test]
fn a_report_is_written_on_every_exit() {
    let _serial = grading_lock();
    let course = course();
    for (format, file) in [
        ("github", "result.json"),
        ("gradescope", "results.json"),
        ("json", "report.json"),
        ("junit", "report.xml"),
    ] {
        let path = course.path().join(file);
        let output = concur(course.path())
            .args(["verify", "no_such_exercise", "--format", format, "--output"])
            .arg(&path)
            .output()
            .expect("concur runs");
        assert_eq!(output.status.code(), Some(2), "{format}");
        let text = std::fs::read_to_string(&path).expect("a report even on exit 2");
        assert!(text.contains("no exercise named"), "{format}: {text}");
        if format == "github" {
            let doc = json(&path);
            assert_eq!(doc["status"], "error");
            assert_eq!(doc["max_score"], 2.0, "no points out of the course's two");
        }
    }
}

/// A Python with `junitparser`, in a virtual environment made once per target folder.
fn junitparser() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-consumers");
        let python = venv.join("bin/python");
        let ready = venv.join(format!(".{JUNITPARSER}"));
        if !ready.exists() {
            let made = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 runs");
            assert!(made.success(), "python3 -m venv failed");
            let pip = Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", JUNITPARSER])
                .output()
                .expect("pip runs");
            assert!(
                pip.status.success(),
                "installing {JUNITPARSER} from PyPI failed (the JUnit test reads the report \
                 with it):\n{}",
                String::from_utf8_lossy(&pip.stderr)
            );
            std::fs::write(&ready, "").expect("mark the environment ready");
        }
        python
    })
}

#[test]
fn junitparser_reads_the_junit_report() {
    let _serial = grading_lock();
    let course = course();
    half_solved(course.path());
    let report = course.path().join("report.xml");
    let output = concur(course.path())
        .args(["verify", "--format", "junit", "--output"])
        .arg(&report)
        .output()
        .expect("concur runs");
    assert_eq!(output.status.code(), Some(1));
    let script = r#"
import sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        texts = [r.text or "" for r in case.result]
        print(suite.name, case.name, case.time, ",".join(kinds), "|".join(texts).replace("\n", " "))
print("totals", xml.tests, xml.failures, xml.errors, xml.time)
"#;
    let parsed = Command::new(junitparser())
        .args(["-c", script])
        .arg(&report)
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&parsed.stdout);
    assert!(
        parsed.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("first doubles "), "{text}");
    assert!(lines[0].ends_with(" "), "a pass has no result: {text}");
    assert!(lines[1].starts_with("second adds_one "), "{text}");
    assert!(lines[1].contains(" Failure "), "{text}");
    let totals: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(&totals[..4], ["totals", "2", "1", "0"], "{text}");
    assert!(totals[4].parse::<f64>().is_ok_and(|t| t > 0.0), "{text}");
}

/// A local copy of Gradescope's autograder folders around the fixture course; returns
/// (root, submission folder).
fn autograder() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("watch"), &root.path().join("source/course"));
    let submission = root.path().join("submission");
    std::fs::create_dir_all(&submission).expect("mkdir");
    (root, submission)
}

fn run_autograder(root: &Path) -> serde_json::Value {
    let output = Command::new("bash")
        .arg(repo_root().join("templates/gradescope/run_autograder"))
        .env("AUTOGRADER_ROOT", root)
        .env("CONCUR_BIN", env!("CARGO_BIN_EXE_concur"))
        .env("NO_COLOR", "1")
        .env("CONCUR_TARGET_DIR", exercise_target_dir())
        .env_remove("CONCUR_COURSE")
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "run_autograder failed:\n{}\n{}",
        stdout_of(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    json(&root.join("results/results.json"))
}

#[test]
fn run_autograder_takes_only_the_learners_files_from_a_course_folder_upload() {
    let _serial = grading_lock();
    let (root, submission) = autograder();
    // A learner uploads their whole course folder: solved `first`, untouched `second`, plus
    // the course's solutions, checks and concur's build folder, which must all be ignored.
    copy_dir(&fixture("watch"), &submission);
    std::fs::copy(
        fixture("watch").join("solutions/basics/first.rs"),
        submission.join("exercises/basics/first.rs"),
    )
    .expect("copy");
    let build = submission.join(".concur/build/exercises/checks");
    std::fs::create_dir_all(&build).expect("mkdir");
    std::fs::write(
        build.join("second.rs"),
        "pub fn add_one(n: u32) -> u32 { n + 1 }",
    )
    .expect("write");
    let doc = run_autograder(root.path());
    let tests = doc["tests"].as_array().expect("tests");
    let names: Vec<&str> = tests
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    // The solution beside it was not taken for `second`: it is still its starting file, so
    // it was not even run, and earns nothing.
    assert_eq!(names, ["first: doubles", "second"]);
    assert_eq!(tests[0]["status"], "passed");
    assert_eq!(tests[1]["status"], "failed");
    assert!(
        tests[1]["output"]
            .as_str()
            .expect("output")
            .starts_with("not started"),
        "{doc}"
    );
    assert_eq!(doc["score"], 1.0);
    assert_eq!(doc["visibility"], "after_published");
}

#[test]
fn run_autograder_refuses_two_files_of_one_name_and_grades_nothing_submitted_as_not_started() {
    let _serial = grading_lock();
    let (root, submission) = autograder();
    for dir in ["a", "b"] {
        std::fs::create_dir_all(submission.join(dir)).expect("mkdir");
        std::fs::copy(
            fixture("watch").join("solutions/basics/first.rs"),
            submission.join(dir).join("first.rs"),
        )
        .expect("copy");
    }
    let doc = run_autograder(root.path());
    assert_eq!(doc["score"], 0.0);
    let output = doc["output"].as_str().expect("output");
    assert!(
        output.contains("Two submitted files are called first.rs"),
        "{output}"
    );

    let (root, _empty) = autograder();
    let doc = run_autograder(root.path());
    assert_eq!(doc["score"], 0.0);
    assert!(
        doc["output"]
            .as_str()
            .expect("output")
            .contains("2 exercises not started"),
        "{doc}"
    );
}
