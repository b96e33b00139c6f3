//! Learner files that attack the grading (`tests/fixtures/hostile`): forged pass records, a
//! forged witness, a rewritten check, reads of checks and solutions, writes into the course and
//! the home folder, the network, signals to concur, processes that leave their session, and a
//! replaced `assert_eq!`. Every hidden check there passes only if its attack worked, so each
//! must end ✗, within its limit plus 2 s, with nothing left running and no course file changed.
//! A control run of the same checks outside concur's sandbox proves the attacks are real.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

/// Every file of the course below `dir` (not concur's own `.concur`), with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir").flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".concur") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                files.insert(path.strip_prefix(dir).expect("below").to_path_buf(), bytes);
            }
        }
    }
    files
}

/// The check lines of a human report: (passed, name, the line after it).
fn checks(report: &str) -> Vec<(bool, String, String)> {
    let lines: Vec<&str> = report.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_start();
        let (passed, rest) = match (line.strip_prefix("✓ "), line.strip_prefix("✗ ")) {
            (Some(rest), _) => (true, rest),
            (_, Some(rest)) => (false, rest),
            _ => continue,
        };
        // Check lines are indented under their exercise's line.
        if !lines[i].starts_with("    ") {
            continue;
        }
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let next = lines
            .get(i + 1)
            .map(|l| l.trim().to_string())
            .unwrap_or_default();
        found.push((passed, name, next));
    }
    found
}

/// Grades the whole hostile course once, checking the common promises, and returns the report.
fn grade(course: &Path) -> String {
    let before = snapshot(course);
    let started = Instant::now();
    let output = concur(course).arg("verify").output().expect("concur runs");
    let report = stdout_of(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every check ends within its limit (10 s) plus 2 s, and so does the whole run, give or
    // take the build.
    let times = check_times(&report);
    assert!(!times.is_empty(), "{report}");
    for time in times {
        assert!(
            time < Duration::from_secs(12),
            "a check took {time:?}:\n{report}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(120), "{report}");
    assert_eq!(
        snapshot(course).keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "a file appeared in or vanished from the course:\n{report}"
    );
    assert!(
        snapshot(course) == before,
        "a course file changed:\n{report}"
    );
    for marker in ["98765", "98766"] {
        let left = processes_with(marker);
        assert!(
            left.is_empty(),
            "processes left running ({marker}): {left:?}"
        );
    }
    report
}

#[test]
fn every_attack_fails_and_leaves_the_course_as_it_was() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("hostile"));
    let home_plant = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|home| home.join(".concur-hostile-planted"));
    let report = grade(course.path());

    let found = checks(&report);
    let names: Vec<&str> = found.iter().map(|(_, n, _)| n.as_str()).collect();
    for expected in [
        "answers",
        "answers_and_leaves",
        "reads_the_solutions",
        "reads_the_checks",
        "rewrites_the_checks",
        "writes_into_the_course",
        "writes_into_home",
        "runs_in_the_course_folder",
        "sees_other_interfaces",
        "signals_concur",
        "a_child_in_its_own_session",
        "a_double_forked_grandchild",
        "four_worker_processes_overlap",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} did not run:\n{report}"
        );
    }
    for (passed, name, _) in &found {
        assert!(!passed, "the attack in `{name}` got a pass:\n{report}");
    }
    let why = |name: &str| {
        found
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(_, _, w)| w.clone())
            .unwrap_or_default()
    };
    assert!(
        why("answers_and_leaves").contains("exited with status 0"),
        "{report}"
    );
    for escaped in ["a_child_in_its_own_session", "a_double_forked_grandchild"] {
        assert!(
            why(escaped).contains("left 1 process running"),
            "{escaped}: {report}"
        );
    }
    assert!(
        report.contains("error: a public `assert_eq` is not allowed in this exercise"),
        "{report}"
    );
    if let Some(plant) = &home_plant {
        assert!(
            !plant.exists(),
            "the home folder was written: {}",
            plant.display()
        );
    }

    // A second grading sees the same checks: nothing the first one ran could change them.
    let again = grade(course.path());
    assert!(
        checks(&again).iter().all(|(passed, _, _)| !passed),
        "{again}"
    );
}

/// The test binary concur built for `exercise`, the newest one in the shared target folder.
fn built_checks(exercise: &str) -> PathBuf {
    let deps = exercise_target_dir().join("debug").join("deps");
    std::fs::read_dir(&deps)
        .expect("the target folder exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{exercise}-")) && !n.contains('.'))
        })
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .expect("concur built the checks")
}

#[test]
fn the_attacks_work_outside_the_sandbox() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("hostile"));
    let output = concur(course.path())
        .args(["verify", "break_out"])
        .output()
        .expect("concur runs");
    assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
    let binary = built_checks("break_out");
    // Run as a plain test, in the course folder, without the sandbox: each attack succeeds
    // (the machine's own interfaces are beside `lo` only where it has a network).
    let has_network = std::fs::read_to_string("/proc/net/dev")
        .unwrap_or_default()
        .lines()
        .skip(2)
        .any(|l| l.split(':').next().is_some_and(|n| n.trim() != "lo"));
    let mut attacks = vec![
        "reads_the_solutions",
        "reads_the_checks",
        "writes_into_the_course",
        "runs_in_the_course_folder",
        "signals_concur",
        "rewrites_the_checks",
    ];
    if has_network {
        attacks.push("sees_other_interfaces");
    }
    for attack in attacks {
        let status = Command::new(&binary)
            .args(["--exact", &format!("checks::{attack}")])
            .current_dir(course.path())
            .output()
            .expect("the checks run");
        assert!(
            status.status.success(),
            "`{attack}` fails even without the sandbox, so it proves nothing:\n{}",
            String::from_utf8_lossy(&status.stdout)
        );
    }
}
