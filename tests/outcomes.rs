//! Every outcome the grader can reach, produced by real learner files in a fixture course
//! (`tests/fixtures/outcomes`), graded by the real binary. Each case asserts the outcome, that
//! it arrives within the exercise's limit plus 2 s, and that no process of the run remains.

mod common;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;

/// The fixture course, copied once and compiled once (the first run builds the dependency set
/// and every fixture; later runs only check freshness).
fn course() -> &'static std::path::Path {
    static COURSE: OnceLock<tempfile::TempDir> = OnceLock::new();
    COURSE
        .get_or_init(|| {
            let dir = copy_course(&fixture("outcomes"));
            // Warm the build; the verdicts of this run are not what these tests assert.
            let output = concur(dir.path())
                .arg("verify")
                .output()
                .expect("concur runs");
            assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
            dir
        })
        .path()
}

/// Grades one fixture exercise and checks the common promises.
fn grade(name: &str, limit: Duration, expected_code: i32) -> String {
    let _serial = grading_lock();
    let course = course();
    let started = Instant::now();
    let output = concur(course)
        .args(["verify", name])
        .output()
        .expect("concur runs");
    let elapsed = started.elapsed();
    let text = stdout_of(&output);
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "{name}: {text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The sandbox's promise: every check's run ends within its limit plus 2 s (concur prints
    // each check's time). The whole command also pays for cargo's freshness check, which a
    // busy machine slows down, so it gets a looser bound.
    for check_time in check_times(&text) {
        assert!(
            check_time < limit + Duration::from_secs(2),
            "{name}: a check ran for {check_time:?}, over its limit {limit:?} + 2 s:\n{text}"
        );
    }
    assert!(
        elapsed < limit + Duration::from_secs(30),
        "{name}: the verdict took {elapsed:?}"
    );
    let left = processes_with("98765");
    assert!(left.is_empty(), "{name}: processes left behind: {left:?}");
    text
}

const DEFAULT: Duration = Duration::from_secs(10);

#[test]
fn a_correct_file_passes_every_check() {
    let text = grade("pass", DEFAULT, 0);
    assert_eq!(check_times(&text).len(), 2, "{text}");
    assert!(text.contains("✓ pass  2/2 checks pass"), "{text}");
    assert!(text.contains("✓ adds"), "{text}");
}

#[test]
fn a_compile_error_shows_the_first_error_with_a_course_relative_path() {
    let text = grade("compile_error", DEFAULT, 1);
    assert!(text.contains("✗ compile_error  does not compile"), "{text}");
    assert!(text.contains("mismatched types"), "{text}");
    assert!(
        text.contains("exercises/outcomes/compile_error.rs:2"),
        "{text}"
    );
    assert!(
        !text.contains(&course().display().to_string()),
        "absolute path leaked: {text}"
    );
}

#[test]
fn a_failing_check_shows_its_message_and_the_others_still_run() {
    let text = grade("failing_check", DEFAULT, 1);
    assert!(text.contains("1/2 checks pass"), "{text}");
    assert!(text.contains("✗ adds"), "{text}");
    assert!(text.contains("add(2, 3) returned 6, expected 5"), "{text}");
    assert!(text.contains("✓ is_positive"), "{text}");
}

#[test]
fn a_panic_in_learner_code_is_the_feedback() {
    let text = grade("panic", DEFAULT, 1);
    assert!(text.contains("✗ picks_the_third"), "{text}");
    assert!(text.contains("index out of bounds"), "{text}");
}

#[test]
fn an_infinite_loop_times_out_as_busy() {
    let text = grade("infinite_loop", Duration::from_secs(2), 1);
    assert!(
        text.contains("timed out after 2.00s while still busy"),
        "{text}"
    );
}

#[test]
fn a_deadlock_times_out_as_idle() {
    let text = grade("deadlock", Duration::from_secs(2), 1);
    assert!(
        text.contains("timed out after 2.00s: no progress — likely a deadlock"),
        "{text}"
    );
}

#[test]
fn an_output_flood_is_stopped() {
    let text = grade("output_flood", Duration::from_secs(5), 1);
    assert!(text.contains("printed more than 1024 KiB"), "{text}");
}

#[test]
fn a_child_that_never_exits_is_killed_and_reported() {
    let text = grade("child_never_exits", DEFAULT, 1);
    assert!(text.contains("left 1 process running"), "{text}");
}

#[test]
fn a_hundred_children_are_all_killed_and_reported() {
    let text = grade("hundred_children", DEFAULT, 1);
    assert!(text.contains("left 100 processes running"), "{text}");
}

#[test]
fn four_gib_hit_the_memory_limit() {
    let text = grade("memory_hog", DEFAULT, 1);
    assert!(text.contains("ran out of memory"), "{text}");
}

#[test]
fn an_early_exit_is_no_evidence_of_a_pass() {
    // The learner prints a fake test report and exits 0: that proves nothing.
    let text = grade("early_exit", DEFAULT, 1);
    assert!(text.contains("✗ answers"), "{text}");
    assert!(
        text.contains("exited with status 0 before the check finished"),
        "{text}"
    );
}

#[test]
fn a_file_the_scan_refuses_is_not_built_and_says_where() {
    let text = grade("not_allowed", DEFAULT, 1);
    assert!(text.contains("✗ not_allowed  not allowed"), "{text}");
    assert!(
        text.contains("error: unsafe is not allowed in this exercise"),
        "{text}"
    );
    assert!(
        text.contains("--> exercises/outcomes/not_allowed.rs:5:5"),
        "{text}"
    );
    assert!(text.contains("5 |     unsafe { *p }"), "{text}");
}

#[test]
fn verbose_shows_the_programs_output() {
    let _serial = grading_lock();
    let output = concur(course())
        .args(["verify", "pass", "--verbose"])
        .output()
        .expect("concur runs");
    let text = stdout_of(&output);
    assert!(
        text.contains("learner output is shown with --verbose"),
        "{text}"
    );
}

/// A tree of hidden checks for `--checks` whose only file checks `pass` with `check`.
fn private_checks(check: &str) -> tempfile::TempDir {
    let private = tempfile::tempdir().expect("tempdir");
    let dir = private.path().join("outcomes");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("pass.rs"), check).expect("write");
    private
}

#[test]
fn private_checks_replace_the_courses_own() {
    let _serial = grading_lock();
    // A private tree whose check for `pass` demands something the learner's file does not do.
    let private = private_checks(
        "use crate::exercise::*;\n\n#[test]\nfn adds_big_numbers() {\n    assert_eq!(add(40, 2), 43, \"private check ran\");\n}\n",
    );
    let output = concur(course())
        .args(["verify", "pass", "--checks"])
        .arg(private.path())
        .output()
        .expect("concur runs");
    let text = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("✗ adds_big_numbers"), "{text}");
    assert!(text.contains("private check ran"), "{text}");
    assert!(
        !text.contains("adds_zero"),
        "the course's own checks ran: {text}"
    );
}

#[test]
fn a_seed_on_the_command_line_replays_the_checks_inputs() {
    let _serial = grading_lock();
    let private = private_checks(
        "#[test]\nfn draws_an_input() {\n    let mut inputs = concur_kit::seed::Inputs::new();\n    \
         let n = inputs.between(0, 1_000_000_000);\n    panic!(\"drew {n}\");\n}\n",
    );
    let drawn = |seed: Option<&str>| {
        let mut cmd = concur(course());
        cmd.args(["verify", "pass", "--checks"]).arg(private.path());
        if let Some(seed) = seed {
            cmd.args(["--seed", seed]);
        }
        let text = stdout_of(&cmd.output().expect("concur runs"));
        let n = text
            .split("drew ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no input drawn: {text}"))
            .to_string();
        (n, text)
    };
    let (first, text) = drawn(Some("4242"));
    assert!(text.contains("seed 4242"), "{text}");
    let (again, _) = drawn(Some("4242"));
    assert_eq!(first, again, "the same seed draws the same input");
    let (other, _) = drawn(None);
    assert_ne!(first, other, "without a seed the inputs are fresh");
}

#[test]
fn machine_formats_go_to_the_output_file() {
    let _serial = grading_lock();
    let out = tempfile::tempdir().expect("tempdir");
    for (format, file) in [
        ("json", "r.json"),
        ("junit", "r.xml"),
        ("gradescope", "results.json"),
        ("github", "gh.json"),
    ] {
        let path = out.path().join(file);
        let output = concur(course())
            .args([
                "verify",
                "pass",
                "failing_check",
                "--format",
                format,
                "--output",
            ])
            .arg(&path)
            .output()
            .expect("concur runs");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            stdout_of(&output)
        );
        // The log shows the verdicts a person reads; the file holds the report.
        let log = stdout_of(&output);
        assert!(log.contains("✗ failing_check"), "{format}: {log}");
        assert!(
            !log.contains("\"schema\"") && !log.contains("<testsuites"),
            "{format}: the report went to stdout too: {log}"
        );
        let text = std::fs::read_to_string(&path).expect("report written");
        if format == "junit" {
            let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
            assert_eq!(doc.root_element().attribute("tests"), Some("4"));
        } else {
            let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert!(doc.is_object(), "{format}: {text}");
        }
    }
}

#[test]
fn a_lint_the_course_denies_stops_the_build_with_the_linters_message() {
    let _serial = grading_lock();
    let course = tempfile::tempdir().expect("tempdir");
    let dir = course.path();
    std::fs::write(
        dir.join("info.toml"),
        "format_version = 1\n\n[[exercises]]\nname = \"careful\"\ndir = \"basics\"\n\
         hints = [\"use the result\"]\ndeny = [\"unused_must_use\"]\n",
    )
    .expect("info.toml");
    let write = |folder: &str, text: &str| {
        let file = dir.join(folder).join("basics/careful.rs");
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    };
    let ignores = "pub fn save() -> Result<(), String> { Ok(()) }\n\
                   pub fn run() -> u32 { save(); 1 }\nfn main() {}\n";
    write("exercises", ignores);
    write(
        "tests/hidden",
        "use crate::exercise::*;\n#[test]\nfn runs() { assert_eq!(run(), 1); }\n",
    );
    let output = concur(dir)
        .args(["verify", "careful"])
        .output()
        .expect("concur runs");
    let text = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("does not compile") && text.contains("unused"),
        "{text}"
    );
    // The same file with the result used passes.
    write(
        "exercises",
        &ignores.replace("save(); 1", "save().map(|()| 1).unwrap_or(0)"),
    );
    concur(dir).args(["verify", "careful"]).assert().success();

    // A clippy lint is run by clippy: the file that unwraps fails with clippy's message,
    // and the same file without the unwrap passes.
    let info = std::fs::read_to_string(dir.join("info.toml")).expect("read");
    std::fs::write(
        dir.join("info.toml"),
        info.replace("unused_must_use", "clippy::unwrap_used"),
    )
    .expect("write");
    let unwraps = "pub fn save() -> Result<u32, String> { Ok(1) }\n\
                   pub fn run() -> u32 { save().unwrap() }\nfn main() {}\n";
    write("exercises", unwraps);
    let output = concur(dir)
        .args(["verify", "careful"])
        .output()
        .expect("concur runs");
    let text = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("does not compile") && text.contains("unwrap_used"),
        "{text}"
    );
    write(
        "exercises",
        &unwraps.replace("save().unwrap()", "save().unwrap_or(0)"),
    );
    concur(dir).args(["verify", "careful"]).assert().success();

    // A name that is no lint is refused, with the line.
    let info = std::fs::read_to_string(dir.join("info.toml")).expect("read");
    std::fs::write(
        dir.join("info.toml"),
        info.replace("clippy::unwrap_used", "Clippy::Unwrap"),
    )
    .expect("write");
    concur(dir)
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("info.toml:7"))
        .stderr(predicates::str::contains("clippy::unwrap_used"));
}
