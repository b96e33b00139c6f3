//! The commands that need no build: course errors, unknown names, hints, list, reset.

mod common;

use common::*;
use predicates::prelude::*;

fn small_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("info.toml"),
        r#"format_version = 1

[[exercises]]
name = "queues3"
dir = "02_queues"
hints = ["first nudge", "second nudge", "almost the answer"]

[[exercises]]
name = "threads1"
dir = "01_threads"
hints = ["only one"]
"#,
    )
    .expect("write info.toml");
    dir
}

#[test]
fn an_unknown_exercise_suggests_the_closest_name() {
    let course = small_course();
    concur(course.path())
        .args(["hint", "queue3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exercise named `queue3`"))
        .stderr(predicate::str::contains("did you mean `queues3`?"));
}

#[test]
fn a_malformed_info_toml_names_file_line_and_field() {
    let course = small_course();
    let info = course.path().join("info.toml");
    let text = std::fs::read_to_string(&info).expect("read");
    std::fs::write(&info, text.replace("hints = [\"only one\"]", "hints = []")).expect("write");
    concur(course.path())
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("info.toml:11:"))
        .stderr(predicate::str::contains("hints"));
}

#[test]
fn no_course_is_a_usage_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    concur(empty.path())
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no info.toml"));
}

#[test]
fn course_is_accepted_before_and_after_the_verb() {
    let course = small_course();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["--course", course.path().to_str().expect("utf8"), "list"],
        vec!["list", "--course", course.path().to_str().expect("utf8")],
    ] {
        concur(elsewhere.path())
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("queues3"))
            .stdout(predicate::str::contains("not started"));
    }
}

#[test]
fn hints_are_revealed_one_per_call() {
    let course = small_course();
    concur(course.path())
        .args(["hint", "queues3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hint 1 of 3"))
        .stdout(predicate::str::contains("first nudge"))
        .stdout(predicate::str::contains("second nudge").not());
    concur(course.path())
        .args(["hint", "queues3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hint 2 of 3"))
        .stdout(predicate::str::contains("second nudge"));
    concur(course.path())
        .args(["hint", "queues3", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("first nudge"))
        .stdout(predicate::str::contains("almost the answer"));
}

#[test]
fn a_corrupt_state_file_is_rebuilt_with_a_warning() {
    let course = small_course();
    std::fs::create_dir_all(course.path().join(".concur")).expect("mkdir");
    std::fs::write(course.path().join(".concur/state.json"), "{{{").expect("write");
    concur(course.path())
        .args(["hint", "threads1"])
        .assert()
        .success()
        .stderr(predicate::str::contains("corrupt"));
    let state = std::fs::read_to_string(course.path().join(".concur/state.json")).expect("read");
    assert!(state.contains("\"hints_shown\": 1"), "{state}");
}

#[test]
fn reset_restores_the_committed_file_and_keeps_a_backup() {
    let course = small_course();
    let file = course.path().join("exercises/02_queues/queues3.rs");
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(&file, "// starting file\nfn main() {}\n").expect("write");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(course.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "{status:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "course"]);
    std::fs::write(&file, "// my work\nfn main() { println!(\"mine\"); }\n").expect("write");

    concur(course.path())
        .args(["reset", "queues3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("saved in .concur/backup/queues3-"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "// starting file\nfn main() {}\n"
    );
    let backups: Vec<_> = std::fs::read_dir(course.path().join(".concur/backup"))
        .expect("backup folder")
        .flatten()
        .collect();
    assert_eq!(backups.len(), 1);
    let saved = std::fs::read_to_string(backups[0].path()).expect("read backup");
    assert!(saved.contains("my work"));
}
