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
        .stderr(predicate::str::contains("no course or workspace here"))
        .stderr(predicate::str::contains("concur.toml"))
        .stderr(predicate::str::contains("concur init"))
        // The message names the folder searched, not a file that does not exist.
        .stderr(predicate::str::contains("info.toml:").not());
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
    // Warned once: the bad file is kept aside, and the next command is quiet.
    assert!(course.path().join(".concur/state.json.corrupt").is_file());
    concur(course.path())
        .arg("list")
        .assert()
        .success()
        .stderr(predicate::str::contains("corrupt").not());
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

#[test]
fn serve_prints_its_url_and_logs_each_request() {
    use std::io::{BufRead, BufReader, Read, Write};
    let empty = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("concur"))
        .args(["serve", "--latency-ms", "1"])
        .current_dir(empty.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("concur serve starts");
    // A watchdog, so a missing line fails the test instead of hanging it.
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let _ = std::process::Command::new("kill").arg(&pid).status();
    });
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf8");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_string();
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET /users/3 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    assert!(response.contains("\"name\":\"User 3\""), "{response}");
    let logged = lines
        .map_while(Result::ok)
        .find(|l| l.starts_with("GET /users/3"))
        .expect("the request is logged");
    assert!(logged.contains("200"), "{logged}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn private_checks_must_exist() {
    let course = small_course();
    concur(course.path())
        .args(["verify", "--checks", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--checks"));
}

/// Runs concur with its stdout a pipe whose reader has already gone, as in `concur list | head
/// -1` once `head` has exited.
fn with_reader_gone(course: &std::path::Path, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::new(assert_cmd::cargo::cargo_bin("concur"))
        .args(args)
        .current_dir(course)
        .env("NO_COLOR", "1")
        .env("CONCUR_TARGET_DIR", exercise_target_dir())
        .stdout(writer)
        .output()
        .expect("concur runs")
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let course = small_course();
    for args in [
        &["list"][..],
        &["hint", "queues3", "--all"],
        &["dev", "check"],
    ] {
        let output = with_reader_gone(course.path(), args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
        // `dev check` still says the course has problems (no exercise files) by its code.
        let expected = if args[0] == "dev" { 1 } else { 0 };
        assert_eq!(output.status.code(), Some(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn exercises_can_be_named_by_their_number_in_the_list() {
    let course = small_course();
    concur(course.path())
        .args(["hint", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("threads1"))
        .stdout(predicate::str::contains("only one"));
    concur(course.path())
        .args(["hint", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exercise"));
}

#[test]
fn init_refuses_a_file_and_a_folder_inside_a_course_or_workspace() {
    let course = small_course();
    std::fs::write(course.path().join("README.md"), "# notes\n").expect("write");
    let outside = tempfile::tempdir().expect("tempdir");
    concur(outside.path())
        .args([
            "init",
            course.path().join("README.md").to_str().expect("utf8"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file"));
    concur(course.path())
        .args(["init", "nested"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside a concur course"));
    assert!(!course.path().join("nested").exists());

    concur(outside.path())
        .args(["init", "ws"])
        .assert()
        .success();
    concur(&outside.path().join("ws/exercises"))
        .args(["init", "again"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside a concur workspace"));
}

#[test]
fn a_malformed_workspace_marker_names_file_line_and_field() {
    let outside = tempfile::tempdir().expect("tempdir");
    concur(outside.path())
        .args(["init", "ws"])
        .assert()
        .success();
    let ws = outside.path().join("ws");
    for (text, needle) in [
        ("[[[", "concur.toml:1"),
        ("", "format_version"),
        ("format_version = 2\n", "format_version 2"),
    ] {
        std::fs::write(ws.join("concur.toml"), text).expect("write");
        concur(&ws)
            .arg("list")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
    }
}

#[test]
fn reset_outside_git_uses_the_built_in_course_or_says_what_is_missing() {
    // A copy of the shipped course with no git history (a downloaded archive, say).
    let copy = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo_root().join("info.toml"), copy.path().join("info.toml")).expect("copy");
    copy_dir(
        &repo_root().join("exercises"),
        &copy.path().join("exercises"),
    );
    let file = copy.path().join("exercises/00_intro/hello_concur.rs");
    std::fs::write(&file, "// my work\n").expect("write");
    concur(copy.path())
        .args(["reset", "hello_concur"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "saved in .concur/backup/hello_concur-",
        ));
    assert_eq!(
        std::fs::read(&file).expect("read"),
        std::fs::read(repo_root().join("exercises/00_intro/hello_concur.rs")).expect("read")
    );

    // Another course outside git has no pristine copy anywhere: a usage error, file untouched.
    let course = small_course();
    let mine = course.path().join("exercises/02_queues/queues3.rs");
    std::fs::create_dir_all(mine.parent().expect("parent")).expect("mkdir");
    std::fs::write(&mine, "// my work\n").expect("write");
    concur(course.path())
        .args(["reset", "queues3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("git history"));
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "// my work\n"
    );
}
