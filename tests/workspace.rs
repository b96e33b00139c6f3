//! `concur init` and grading inside a learner workspace: the workspace holds exercises and
//! nothing that gives them away; a solution appears beside an exercise only once it passes;
//! `reset` restores from the course built into concur; an existing folder is never overwritten.

mod common;

use std::path::{Path, PathBuf};

use common::{concur, grading_lock, repo_root};

/// A workspace created by `concur init`, with its own cache folder.
struct Workspace {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    cache: PathBuf,
}

impl Workspace {
    fn init() -> Workspace {
        let tmp = tempfile::tempdir().expect("tempdir");
        let cache = tmp.path().join("cache");
        concur(tmp.path())
            .env("CONCUR_CACHE_DIR", &cache)
            .args(["init", "ws"])
            .assert()
            .success()
            .stdout(predicates::str::contains("concur watch"));
        Workspace {
            dir: tmp.path().join("ws"),
            _tmp: tmp,
            cache,
        }
    }

    fn concur(&self) -> assert_cmd::Command {
        let mut cmd = concur(&self.dir);
        cmd.env("CONCUR_CACHE_DIR", &self.cache);
        cmd
    }
}

/// Every file below `dir`, except the kit copy kept for the editor.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.ends_with(".concur/kit") {
            continue;
        }
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Contents of every solution and hidden check of the course.
fn secrets() -> Vec<(PathBuf, Vec<u8>)> {
    let root = repo_root();
    [root.join("solutions"), root.join("tests/hidden")]
        .iter()
        .flat_map(|d| files(d))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect()
}

fn assert_no_secret_on_disk(dir: &Path, except: &[&str]) {
    let secrets = secrets();
    for file in files(dir) {
        let bytes = std::fs::read(&file).expect("read");
        for (secret, content) in &secrets {
            let allowed = except
                .iter()
                .any(|name| secret.ends_with(format!("{name}.rs")))
                && secret.starts_with(repo_root().join("solutions"));
            assert!(
                allowed || &bytes != content,
                "{} is a copy of {}",
                file.display(),
                secret.display()
            );
        }
    }
}

#[test]
fn init_writes_exercises_and_editor_files_but_no_solution_or_check() {
    let ws = Workspace::init();
    for name in [
        "concur.toml",
        "Cargo.toml",
        "Cargo.lock",
        ".gitignore",
        "README.md",
    ] {
        assert!(ws.dir.join(name).is_file(), "{name} is missing");
    }
    assert!(ws.dir.join("exercises/00_intro/README.md").is_file());
    assert!(ws.dir.join("exercises/02_queues/worker_pool.rs").is_file());
    assert!(!ws.dir.join("solutions").exists());
    assert!(!ws.dir.join("tests").exists());
    assert_no_secret_on_disk(&ws.dir, &[]);

    let gitignore = std::fs::read_to_string(ws.dir.join(".gitignore")).expect("read");
    assert!(gitignore.contains("target/") && gitignore.contains(".concur/"));

    // The editor's manifest is valid and makes every exercise a program.
    let metadata = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(&ws.dir)
        .output()
        .expect("cargo metadata");
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&metadata.stdout).expect("json");
    let targets = doc["packages"][0]["targets"]
        .as_array()
        .expect("targets")
        .len();
    let info = std::fs::read_to_string(repo_root().join("info.toml")).expect("info.toml");
    assert_eq!(targets, info.matches("[[exercises]]").count());
}

/// `git` in `dir`, asserting it succeeds; returns its stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_git_clone_of_a_workspace_loads_in_the_editor_before_concur_runs() {
    // A GitHub Classroom template is a committed workspace: the learner clones it and opens
    // the editor, and rust-analyzer must find the kit the manifest points at.
    let ws = Workspace::init();
    git(&ws.dir, &["init", "-q"]);
    git(&ws.dir, &["add", "."]);
    git(&ws.dir, &["commit", "-q", "-m", "template"]);
    let committed = git(&ws.dir, &["ls-files"]);
    assert!(committed.contains(".concur/kit/Cargo.toml"), "{committed}");
    assert!(
        committed.contains(".concur/kit/macros/Cargo.toml"),
        "{committed}"
    );
    assert!(!committed.contains("state.json") && !committed.contains("target/"));

    let clone = tempfile::tempdir().expect("tempdir");
    let dir = clone.path().join("ws");
    git(
        clone.path(),
        &["clone", "-q", ws.dir.to_str().expect("utf8"), "ws"],
    );
    let metadata = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(&dir)
        .output()
        .expect("cargo metadata");
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    // concur's own state (hints shown, here) stays out of git.
    ws.concur()
        .args(["hint", "hello_concur"])
        .assert()
        .success();
    let status = git(&ws.dir, &["status", "--porcelain"]);
    assert!(
        status.trim().is_empty(),
        "concur's state shows in git: {status}"
    );
}

#[test]
fn a_solution_appears_beside_an_exercise_only_after_it_passes() {
    let _turn = grading_lock();
    let ws = Workspace::init();
    let exercise = ws.dir.join("exercises/00_intro/hello_concur.rs");
    let solution = ws.dir.join("exercises/00_intro/hello_concur.solution.rs");

    ws.concur()
        .args(["verify", "hello_concur"])
        .assert()
        .code(1);
    assert!(!solution.exists());
    assert_no_secret_on_disk(&ws.dir, &[]);

    std::fs::copy(
        repo_root().join("solutions/00_intro/hello_concur.rs"),
        &exercise,
    )
    .expect("cp");
    ws.concur()
        .args(["verify", "hello_concur"])
        .assert()
        .success()
        .stderr(predicates::str::contains("hello_concur.solution.rs"));
    assert_eq!(
        std::fs::read(&solution).expect("solution written"),
        std::fs::read(repo_root().join("solutions/00_intro/hello_concur.rs")).expect("read")
    );
    // Only that exercise's solution; still no hidden check.
    assert_no_secret_on_disk(&ws.dir, &["hello_concur"]);
    ws.concur()
        .arg("list")
        .assert()
        .success()
        .stdout(predicates::str::is_match(r"hello_concur\s+00_intro\s+done").expect("regex"));
}

#[test]
fn reset_restores_the_starting_file_from_concur_and_keeps_a_backup() {
    let ws = Workspace::init();
    let exercise = ws.dir.join("exercises/01_threads/spawn_and_join.rs");
    let original = std::fs::read(&exercise).expect("read");
    std::fs::write(&exercise, "// my attempt\n").expect("write");
    ws.concur()
        .args(["reset", "spawn_and_join"])
        .assert()
        .success()
        .stdout(predicates::str::contains(".concur/backup"));
    assert_eq!(std::fs::read(&exercise).expect("read"), original);
    let backups = files(&ws.dir.join(".concur/backup"));
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read(&backups[0]).expect("read"),
        b"// my attempt\n"
    );
}

#[test]
fn init_never_writes_into_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mine = tmp.path().join("notes.txt");
    std::fs::write(&mine, "mine").expect("write");
    concur(tmp.path())
        .env("CONCUR_CACHE_DIR", tmp.path().join("cache"))
        .args(["init", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not empty"));
    assert_eq!(std::fs::read_to_string(&mine).expect("read"), "mine");
    assert!(!tmp.path().join("exercises").exists());
}

/// Regression: every workspace of one course once shared one build folder in the cache, so two
/// verifying at the same moment were graded on each other's files. Now each builds in its own
/// `.concur/build`, sharing only the dependencies.
#[test]
fn two_workspaces_verifying_at_once_are_each_graded_on_their_own_files() {
    let _turn = grading_lock();
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = tmp.path().join("cache");
    let init = |name: &str| {
        concur(tmp.path())
            .env("CONCUR_CACHE_DIR", &cache)
            .args(["init", name])
            .assert()
            .success();
        tmp.path().join(name)
    };
    let (untouched, solved) = (init("untouched"), init("solved"));
    for name in ["00_intro/hello_concur.rs", "00_intro/breakfast.rs"] {
        std::fs::copy(
            repo_root().join("solutions").join(name),
            solved.join("exercises").join(name),
        )
        .expect("cp");
    }
    let verify = |dir: &Path| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_concur"));
        cmd.args(["verify", "hello_concur", "breakfast"])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("CONCUR_CACHE_DIR", &cache)
            .env("CONCUR_TARGET_DIR", common::exercise_target_dir())
            .env_remove("CONCUR_COURSE")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    };
    // Both build once first, so the graded runs below overlap in their checks, not in cargo.
    for dir in [&untouched, &solved] {
        verify(dir).output().expect("concur runs");
    }
    for _round in 0..2 {
        let a = verify(&untouched).spawn().expect("concur starts");
        let b = verify(&solved).spawn().expect("concur starts");
        let (a, b) = (
            a.wait_with_output().expect("concur ends"),
            b.wait_with_output().expect("concur ends"),
        );
        let (a_text, b_text) = (
            String::from_utf8_lossy(&a.stdout),
            String::from_utf8_lossy(&b.stdout),
        );
        assert_eq!(a.status.code(), Some(1), "starting files passed:\n{a_text}");
        assert!(
            a_text.contains("✗ hello_concur") && a_text.contains("✗ breakfast"),
            "{a_text}"
        );
        assert_eq!(b.status.code(), Some(0), "solutions failed:\n{b_text}");
    }
    assert!(
        !untouched
            .join("exercises/00_intro/hello_concur.solution.rs")
            .exists(),
        "a solution was written into the workspace that never passed"
    );
    assert!(solved
        .join("exercises/00_intro/hello_concur.solution.rs")
        .exists());
}

#[test]
fn init_with_course_makes_a_workspace_of_that_course() {
    let _turn = grading_lock();
    let tmp = tempfile::tempdir().expect("tempdir");
    let course = tmp.path().join("their-course");
    common::copy_dir(&common::fixture("watch"), &course);
    let cache = tmp.path().join("cache");
    concur(tmp.path())
        .env("CONCUR_CACHE_DIR", &cache)
        .args(["init", "ws", "--course", course.to_str().expect("utf8")])
        .assert()
        .success()
        .stdout(predicates::str::contains("2 exercises"));
    let ws = Workspace {
        dir: tmp.path().join("ws"),
        _tmp: tmp,
        cache,
    };
    assert!(ws.dir.join("exercises/basics/first.rs").is_file());
    assert!(!ws.dir.join("solutions").exists() && !ws.dir.join("tests").exists());
    ws.concur()
        .arg("list")
        .assert()
        .success()
        .stdout(predicates::str::contains("second"));
    // Graded against that course's checks, and its solution appears once the exercise passes.
    ws.concur()
        .args(["verify", "first"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("double(21) should be 42"));
    let file = ws.dir.join("exercises/basics/first.rs");
    std::fs::copy(course.join("solutions/basics/first.rs"), &file).expect("cp");
    ws.concur().args(["verify", "first"]).assert().success();
    assert!(ws.dir.join("exercises/basics/first.solution.rs").is_file());
    // `reset` restores that course's starting file.
    ws.concur().args(["reset", "first"]).assert().success();
    assert_eq!(
        std::fs::read(&file).expect("read"),
        std::fs::read(course.join("exercises/basics/first.rs")).expect("read")
    );
    // A course that moved away is named, with the line of concur.toml that points at it.
    std::fs::rename(&course, ws.dir.with_file_name("moved")).expect("mv");
    ws.concur()
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("concur.toml:"))
        .stderr(predicates::str::contains("moved or deleted"));
}

/// One dependency build per machine: every workspace and the course folder itself build into
/// the one target folder in concur's cache (staged names keep their programs apart, see the
/// test above), so a second workspace or a new concur version builds no dependency again.
#[test]
fn every_workspace_and_the_course_share_the_target_folder_in_the_cache() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cache = tmp.path().join("cache");
    let target_of = |dir: &Path| {
        let out = concur(dir)
            .env("CONCUR_CACHE_DIR", &cache)
            .env_remove("CONCUR_TARGET_DIR")
            .arg("doctor")
            .output()
            .expect("doctor runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("target")
                    .map(|t| t.trim().to_string())
            })
            .unwrap_or_else(|| panic!("doctor names no target folder:\n{text}"))
    };
    for name in ["one", "two"] {
        concur(tmp.path())
            .env("CONCUR_CACHE_DIR", &cache)
            .args(["init", name])
            .assert()
            .success();
    }
    let expected = cache.join("target").display().to_string();
    assert_eq!(target_of(&tmp.path().join("one")), expected);
    assert_eq!(
        target_of(&tmp.path().join("two").join("exercises")),
        expected
    );
    assert_eq!(target_of(&repo_root()), expected);
}
