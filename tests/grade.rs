//! `concur grade` on a fixture class of six: all solved, none solved (one exercise untouched,
//! one wrong), a compile error, a hang, a leaked process, and a folder with no exercises. The
//! gradebook is asserted cell by cell; reports are parsed; a second run skips unchanged
//! submissions.

mod common;

use std::path::Path;

use common::{concur, copy_course, fixture, grading_lock, processes_with};

const GRADEBOOK: &str = "\
learner,score,max_score,exercises_passed,first,second,error,isolation\r
ada,2,2,2,passed,passed,,isolated\r
bob,0,2,0,not started,failed 0/1,,isolated\r
cy,1,2,1,compile error,passed,,isolated\r
dee,1,2,1,failed 0/1 (timed out),passed,,isolated\r
eli,1,2,1,failed 0/1 (left a process running),passed,,isolated\r
fay,0,2,0,,,no exercises/ folder in this submission,isolated\r
";

fn grade(class: &Path, extra: &[&str]) -> String {
    let output = concur(class)
        .args([
            "--course",
            "course",
            "grade",
            "submissions",
            "--output",
            "out",
        ])
        .args(extra)
        .output()
        .expect("concur runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn a_class_is_graded_into_a_gradebook_and_reports_and_unchanged_work_is_skipped() {
    let _turn = grading_lock();
    let class = copy_course(&fixture("class"));
    let dir = class.path();

    let first = grade(dir, &[]);
    assert!(
        first.contains("graded 6 submissions (0 unchanged)"),
        "{first}"
    );
    let gradebook = std::fs::read_to_string(dir.join("out/gradebook.csv")).expect("gradebook");
    assert_eq!(gradebook, GRADEBOOK);
    assert!(
        processes_with("41.25").is_empty(),
        "eli's leaked process must be killed"
    );

    // One JSON report per learner, in the documented schema.
    for learner in ["ada", "bob", "cy", "dee", "eli"] {
        let text = std::fs::read_to_string(dir.join(format!("out/reports/{learner}.json")))
            .expect("report");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["schema"], "concur.verify/1");
        assert_eq!(
            doc["exercises"].as_array().map(Vec::len),
            Some(2),
            "{learner}"
        );
    }
    let dee: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("out/reports/dee.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(dee["exercises"][0]["checks"][0]["status"], "timed_out");
    let fay = std::fs::read_to_string(dir.join("out/reports/fay.json")).expect("report");
    assert!(fay.contains("no exercises/ folder"), "{fay}");

    // Nothing changed: nothing is graded again, and the gradebook is the same.
    let second = grade(dir, &[]);
    assert!(second.contains("(6 unchanged)"), "{second}");
    assert!(!second.contains("ada:"), "{second}");
    assert_eq!(
        std::fs::read_to_string(dir.join("out/gradebook.csv")).expect("gradebook"),
        GRADEBOOK
    );

    // bob solves one exercise: only bob is graded again.
    std::fs::copy(
        dir.join("course/solutions/basics/first.rs"),
        dir.join("submissions/bob/exercises/basics/first.rs"),
    )
    .expect("copy");
    let third = grade(dir, &[]);
    assert!(third.contains("(5 unchanged)"), "{third}");
    assert!(third.contains("bob: 1/2 exercises"), "{third}");
    let gradebook = std::fs::read_to_string(dir.join("out/gradebook.csv")).expect("gradebook");
    assert!(
        gradebook.contains("\r\nbob,1,2,1,passed,failed 0/1,,isolated\r\n"),
        "{gradebook}"
    );
}

#[test]
fn reports_come_in_the_chosen_format_and_a_new_format_needs_no_regrading() {
    let _turn = grading_lock();
    let class = copy_course(&fixture("class"));
    let dir = class.path();
    for learner in ["cy", "dee", "eli"] {
        std::fs::remove_dir_all(dir.join("submissions").join(learner)).expect("rm");
    }
    grade(dir, &[]);
    let json = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.join("out/reports").join(name)).expect("report");
        serde_json::from_str(&text).expect("valid JSON")
    };
    // Each report carries the score and the not-started rule of the gradebook.
    let bob = json("bob.json");
    assert_eq!(bob["summary"]["score"], 0.0);
    assert_eq!(bob["summary"]["exercises_not_started"], 1);
    assert_eq!(bob["exercises"][0]["status"], "not_started");
    assert_eq!(json("ada.json")["summary"]["score"], 2.0);
    // A folder that could not be graded still gets a report of the format, saying why.
    let fay = json("fay.json");
    assert!(
        fay["error"]
            .as_str()
            .expect("error")
            .contains("no exercises/"),
        "{fay}"
    );

    let second = grade(dir, &["--format", "junit"]);
    assert!(
        second.contains("(3 unchanged)"),
        "no regrading for a new format: {second}"
    );
    let xml = std::fs::read_to_string(dir.join("out/reports/ada.xml")).expect("report");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);
    let fay = std::fs::read_to_string(dir.join("out/reports/fay.xml")).expect("report");
    assert!(fay.contains("no exercises/"), "{fay}");
}

#[test]
fn a_missing_submissions_folder_is_a_usage_error() {
    let class = copy_course(&fixture("class"));
    concur(class.path())
        .args(["--course", "course", "grade", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nowhere is not a folder"));
}
