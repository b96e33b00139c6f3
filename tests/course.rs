//! The shipped course: `concur dev check` passes on it; every wrong variant under
//! `tests/variants/` fails exactly the checks its `// expect-fail: <check>` lines name while
//! passing the rest (that is how each check proves it bites); and every correct alternative
//! under `tests/alternatives/`, written in another idiom than the reference, passes them all.
//!
//! `CONCUR_STAND_INS_LOAD=N` grades the variants and alternatives the hard way: with
//! `RAYON_NUM_THREADS=16` and N busy processes (`yes`) keeping the cores loaded, so a verdict
//! that depends on the core count or the load shows up. CI runs `cargo test` so.

mod common;

use std::collections::HashMap;
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

/// The learner files in `tests/<folder>/<topic>/`, each standing in for the exercise its name
/// starts with: (exercise, topic, file). `CONCUR_STAND_INS_SKIP` (exercise names, comma
/// separated) leaves some out, for a run whose conditions their checks are known not to
/// withstand yet; `CONCUR_STAND_INS_ONLY` keeps only those named, for a course author
/// reworking a few exercises.
fn stand_ins(folder: &str, names: &[String]) -> Vec<(String, String, PathBuf)> {
    let skipped = names_in_env("CONCUR_STAND_INS_SKIP");
    let only = names_in_env("CONCUR_STAND_INS_ONLY");
    let mut found = Vec::new();
    let base = repo_root().join("tests").join(folder);
    for topic in std::fs::read_dir(&base)
        .expect("the folder exists")
        .flatten()
    {
        for file in std::fs::read_dir(topic.path()).expect("topic").flatten() {
            if file.path().extension().is_some_and(|e| e == "rs") {
                let topic = topic.file_name().to_string_lossy().to_string();
                let exercise = exercise_of(&file.path(), names);
                let wanted = only.is_empty() || only.contains(&exercise);
                if wanted && !skipped.contains(&exercise) {
                    found.push((exercise, topic, file.path()));
                }
            }
        }
    }
    found.sort();
    found
}

/// The exercise names in a comma-separated environment variable; none when it is unset.
fn names_in_env(var: &str) -> Vec<String> {
    std::env::var(var)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The conditions stand-ins are graded under: a quiet machine, or (`CONCUR_STAND_INS_LOAD=N`)
/// N busy processes and 16 rayon threads. The busy processes end when this is dropped.
struct Conditions {
    hogs: Vec<std::process::Child>,
    rayon_threads: Option<&'static str>,
}

impl Conditions {
    fn from_env() -> Conditions {
        let busy: usize = match std::env::var("CONCUR_STAND_INS_LOAD") {
            Ok(n) if !n.trim().is_empty() => n
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("CONCUR_STAND_INS_LOAD={n}: expected a number")),
            _ => 0,
        };
        let hogs = (0..busy)
            .map(|_| {
                std::process::Command::new("yes")
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .expect("start a busy process")
            })
            .collect();
        Conditions {
            hogs,
            rayon_threads: (busy > 0).then_some("16"),
        }
    }

    fn apply(&self, cmd: &mut assert_cmd::Command) {
        if let Some(threads) = self.rayon_threads {
            cmd.env("RAYON_NUM_THREADS", threads);
        }
    }

    fn describe(&self) -> String {
        match self.rayon_threads {
            Some(threads) => format!(
                " (graded with {} busy processes and RAYON_NUM_THREADS={threads})",
                self.hogs.len()
            ),
            None => String::new(),
        }
    }
}

impl Drop for Conditions {
    fn drop(&mut self) {
        for hog in &mut self.hogs {
            let _ = hog.kill();
            let _ = hog.wait();
        }
    }
}

/// Rounds of stand-ins with at most one per exercise, so each round is graded by one
/// `concur verify` of all its exercises (one build, checks one exercise after another).
fn rounds(files: Vec<(String, String, PathBuf)>) -> Vec<Vec<(String, String, PathBuf)>> {
    let mut rounds: Vec<Vec<(String, String, PathBuf)>> = Vec::new();
    for file in files {
        match rounds
            .iter_mut()
            .find(|r| r.iter().all(|(ex, _, _)| *ex != file.0))
        {
            Some(round) => round.push(file),
            None => rounds.push(vec![file]),
        }
    }
    rounds
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

/// Puts a round's files in place of their exercises and grades them in one run; returns the
/// whole report and, per exercise, its checks as (passed, name).
fn grade_round(
    course: &Path,
    round: &[(String, String, PathBuf)],
    conditions: &Conditions,
) -> (String, HashMap<String, Vec<(bool, String)>>) {
    for (name, topic, file) in round {
        let target = course
            .join("exercises")
            .join(topic)
            .join(format!("{name}.rs"));
        std::fs::copy(file, target).expect("put the stand-in in place");
    }
    let mut cmd = concur(course);
    conditions.apply(&mut cmd);
    cmd.arg("verify");
    cmd.args(round.iter().map(|(name, _, _)| name.as_str()));
    let output = cmd.output().expect("concur runs");
    let report = stdout_of(&output);
    let mut checks: HashMap<String, Vec<(bool, String)>> = HashMap::new();
    let mut current = None;
    for line in report.lines() {
        let (passed, rest) = match line.trim_start() {
            l if l.starts_with("✓ ") => (true, &l["✓ ".len()..]),
            l if l.starts_with("✗ ") => (false, &l["✗ ".len()..]),
            _ => continue,
        };
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if line.starts_with("    ") {
            if let Some(exercise) = &current {
                checks
                    .entry(String::clone(exercise))
                    .or_default()
                    .push((passed, name));
            }
        } else {
            checks.entry(name.clone()).or_default();
            current = Some(name);
        }
    }
    (report, checks)
}

#[test]
fn every_wrong_variant_fails_exactly_its_expected_checks() {
    let _serial = grading_lock();
    let course = course_copy();
    let names = exercise_names(course.path());
    let all = stand_ins("variants", &names);
    assert!(!all.is_empty(), "no wrong variants found");
    let conditions = Conditions::from_env();
    // Every mismatch of every round, so one run shows them all.
    let mut wrong = Vec::new();
    for round in rounds(all) {
        let (report, graded) = grade_round(course.path(), &round, &conditions);
        for (name, _, variant) in &round {
            let text = std::fs::read_to_string(variant).expect("variant");
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
            let checks = graded.get(name).map(Vec::as_slice).unwrap_or_default();
            if checks.is_empty() {
                wrong.push(format!("{}: no checks ran:\n{report}", variant.display()));
                continue;
            }
            for (passed, check) in checks {
                let should_fail = expected.contains(&check.as_str());
                if *passed == should_fail {
                    wrong.push(format!(
                        "{}: check `{check}` {} but should {}:\n{}",
                        variant.display(),
                        if *passed { "passed" } else { "failed" },
                        if should_fail { "fail" } else { "pass" },
                        exercise_part(&report, name)
                    ));
                }
            }
            for check in &expected {
                if !checks.iter().any(|(_, c)| c == check) {
                    wrong.push(format!(
                        "{}: expected check `{check}` did not run",
                        variant.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}{}",
        wrong.join("\n\n"),
        conditions.describe()
    );
}

/// Correct solutions written in other idioms than the reference (`tests/alternatives/`): the
/// course must not teach one way as the only way, so each passes every check.
#[test]
fn every_correct_alternative_passes_every_check() {
    let _serial = grading_lock();
    let course = course_copy();
    let names = exercise_names(course.path());
    let all = stand_ins("alternatives", &names);
    assert!(!all.is_empty(), "no alternatives found");
    let conditions = Conditions::from_env();
    let mut wrong = Vec::new();
    for round in rounds(all) {
        let (report, graded) = grade_round(course.path(), &round, &conditions);
        for (name, _, file) in &round {
            let checks = graded.get(name).map(Vec::as_slice).unwrap_or_default();
            if checks.is_empty() {
                wrong.push(format!("{}: no checks ran:\n{report}", file.display()));
            }
            for (_, check) in checks.iter().filter(|(passed, _)| !passed) {
                wrong.push(format!(
                    "{}: check `{check}` failed:\n{}",
                    file.display(),
                    exercise_part(&report, name)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}{}",
        wrong.join("\n\n"),
        conditions.describe()
    );
}

/// The part of a report about one exercise: its line and the indented lines under it.
fn exercise_part(report: &str, name: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in report.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            inside = line.split_whitespace().nth(1) == Some(name);
        }
        if inside {
            out.push(line);
        }
    }
    out.join("\n")
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

#[test]
fn dev_new_starts_an_exercise_that_dev_check_finds_sound() {
    let _serial = grading_lock();
    let course = tempfile::tempdir().expect("tempdir");
    std::fs::write(course.path().join("info.toml"), "format_version = 1\n").expect("write");
    concur(course.path())
        .args(["dev", "new", "first_steps", "--dir", "01_start"])
        .assert()
        .success();
    for folder in ["exercises", "solutions", "tests/hidden"] {
        let file = course.path().join(folder).join("01_start/first_steps.rs");
        assert!(file.is_file(), "{} is missing", file.display());
    }
    // Nothing is overwritten, and the name must be new.
    concur(course.path())
        .args(["dev", "new", "first_steps", "--dir", "01_start"])
        .assert()
        .code(2);
    let output = concur(course.path())
        .args(["dev", "check"])
        .output()
        .expect("concur runs");
    assert_eq!(output.status.code(), Some(0), "{}", stdout_of(&output));
    assert!(
        stdout_of(&output).contains("1 exercises"),
        "{}",
        stdout_of(&output)
    );
}
