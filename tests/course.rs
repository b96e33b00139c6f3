//! The shipped course: `concur dev check` passes on it, and every wrong variant under
//! `tests/variants/` fails exactly the checks its `// expect-fail: <check>` lines name while
//! passing the rest. That is how each timing or cleanup check proves it bites.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A copy of the shipped course (info.toml, exercises, solutions, hidden checks).
fn course_copy() -> tempfile::TempDir {
    let root = repo_root();
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root.join("info.toml"), tmp.path().join("info.toml")).expect("info.toml");
    for dir in ["exercises", "solutions", "tests/hidden"] {
        copy_dir(&root.join(dir), &tmp.path().join(dir));
    }
    tmp
}

fn variants() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let base = repo_root().join("tests/variants");
    for topic in std::fs::read_dir(&base)
        .expect("tests/variants exists")
        .flatten()
    {
        for file in std::fs::read_dir(topic.path()).expect("topic").flatten() {
            if file.path().extension().is_some_and(|e| e == "rs") {
                found.push(file.path());
            }
        }
    }
    found.sort();
    found
}

/// The exercise a variant stands in for: the longest exercise name its file name starts with.
fn exercise_of(variant: &Path, names: &[String]) -> String {
    let stem = variant
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    names
        .iter()
        .filter(|n| stem.starts_with(&format!("{n}_")))
        .max_by_key(|n| n.len())
        .unwrap_or_else(|| panic!("{stem} does not name an exercise"))
        .clone()
}

fn exercise_names(course: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(course.join("info.toml")).expect("info.toml");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_wrong_variant_fails_exactly_its_expected_checks() {
    let _serial = grading_lock();
    let course = course_copy();
    let names = exercise_names(course.path());
    let all = variants();
    assert!(!all.is_empty(), "no wrong variants found");
    for variant in all {
        let name = exercise_of(&variant, &names);
        let text = std::fs::read_to_string(&variant).expect("variant");
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("// expect-fail:"))
            .map(str::trim)
            .collect();
        assert!(
            !expected.is_empty(),
            "{} names no expect-fail check",
            variant.display()
        );

        // The variant stands in for the learner's file.
        let dir = variant
            .parent()
            .and_then(Path::file_name)
            .expect("topic folder");
        let target = course
            .path()
            .join("exercises")
            .join(dir)
            .join(format!("{name}.rs"));
        std::fs::write(&target, &text).expect("write variant");
        let output = concur(course.path())
            .args(["verify", &name])
            .output()
            .expect("concur runs");
        let report = stdout_of(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {report}",
            variant.display()
        );
        let checks: Vec<(bool, String)> = report
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let (pass, rest) = if let Some(r) = l.strip_prefix("✓ ") {
                    (true, r)
                } else {
                    (false, l.strip_prefix("✗ ")?)
                };
                Some((pass, rest.split_whitespace().next()?.to_string()))
            })
            .filter(|(_, check)| *check != name)
            .collect();
        assert!(
            !checks.is_empty(),
            "{}: no checks ran: {report}",
            variant.display()
        );
        for (passed, check) in &checks {
            let should_fail = expected.contains(&check.as_str());
            assert_eq!(
                !passed,
                should_fail,
                "{}: check `{check}` {} but should {}:\n{report}",
                variant.display(),
                if *passed { "passed" } else { "failed" },
                if should_fail { "fail" } else { "pass" }
            );
        }
        for check in &expected {
            assert!(
                checks.iter().any(|(_, c)| c == check),
                "{}: expected check `{check}` did not run:\n{report}",
                variant.display()
            );
        }
    }
}

#[test]
fn dev_check_passes_on_the_shipped_course() {
    let _serial = grading_lock();
    let course = course_copy();
    let output = concur(course.path())
        .args(["dev", "check"])
        .output()
        .expect("concur runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\n{}",
        stdout_of(&output),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn dev_check_finds_a_solution_that_fails_and_a_stray_file() {
    let _serial = grading_lock();
    // A small course is enough to show that dev check bites; the shipped course is graded
    // in full by `dev_check_passes_on_the_shipped_course`.
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    // The starting file in place of the first solution: it must be reported as failing.
    std::fs::copy(
        dir.join("exercises/basics/first.rs"),
        dir.join("solutions/basics/first.rs"),
    )
    .expect("copy");
    std::fs::write(dir.join("solutions/basics/leftover.rs"), "").expect("stray");
    let output = concur(dir)
        .args(["dev", "check"])
        .output()
        .expect("concur runs");
    let report = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.contains("solutions/basics/first.rs: the solution does not pass"),
        "{report}"
    );
    assert!(
        report.contains("stray file solutions/basics/leftover.rs"),
        "{report}"
    );
    assert!(
        !report.contains("second"),
        "a sound exercise was reported: {report}"
    );
}

#[test]
fn run_starts_a_program_that_starts_workers_of_itself() {
    let _serial = grading_lock();
    let course = course_copy();
    let output = concur(course.path())
        .args(["run", "process_pool", "--solution"])
        .output()
        .expect("concur runs");
    let text = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("job 8: 64"), "{text}");
    assert!(text.contains("exited with status 0"), "{text}");
    assert!(processes_with("solutions-process_pool").is_empty());
}

#[test]
fn run_gives_the_program_the_mock_api() {
    let _serial = grading_lock();
    let course = course_copy();
    let output = concur(course.path())
        .args(["run", "fetch_all", "--solution"])
        .output()
        .expect("concur runs");
    let text = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("mock API at http://127.0.0.1:"), "{text}");
    assert!(text.contains("user10@example.test"), "{text}");
}

#[test]
fn run_shows_a_compile_error_instead_of_running() {
    let _serial = grading_lock();
    let course = course_copy();
    let file = course.path().join("exercises/02_queues/worker_pool.rs");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        format!("{text}\nfn broken() -> u32 {{ \"nope\" }}\n"),
    )
    .expect("write");
    let output = concur(course.path())
        .args(["run", "worker_pool"])
        .output()
        .expect("concur runs");
    let out = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("mismatched types"), "{out}");
    assert!(out.contains("exercises/02_queues/worker_pool.rs"), "{out}");
}
