//! Re-grading an unchanged exercise does not start cargo; any change to what its binaries
//! depend on does. `CARGO=false` stands in for cargo: if concur starts it, grading fails. And
//! the first build of the dependency set announces as many crates as it then builds.

mod common;

use common::{concur, copy_course, fixture, grading_lock};

#[test]
fn cargo_runs_only_when_an_input_changed() {
    let _turn = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    let file = dir.join("exercises/basics/first.rs");
    std::fs::copy(dir.join("solutions/basics/first.rs"), &file).expect("cp");
    concur(dir).args(["verify", "first"]).assert().success();

    // Unchanged: graded from the last build, cargo never started.
    concur(dir)
        .env("CARGO", "false")
        .args(["verify", "first"])
        .assert()
        .success();

    // The learner's file changed: cargo must run (and here it cannot).
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{text}\n// edited\n")).expect("write");
    concur(dir)
        .env("CARGO", "false")
        .args(["verify", "first"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cargo failed"));
    concur(dir).args(["verify", "first"]).assert().success();

    // The hidden checks changed: cargo must run too.
    let checks = dir.join("tests/hidden/basics/first.rs");
    let text = std::fs::read_to_string(&checks).expect("read");
    std::fs::write(&checks, format!("{text}\n// edited\n")).expect("write");
    concur(dir)
        .env("CARGO", "false")
        .args(["verify", "first"])
        .assert()
        .code(3);
}

#[test]
fn the_first_build_announces_as_many_dependency_crates_as_it_builds() {
    let _turn = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    std::fs::copy(
        dir.join("solutions/basics/first.rs"),
        dir.join("exercises/basics/first.rs"),
    )
    .expect("cp");
    // A target folder of its own, so the dependency set is built here from nothing.
    let target = tempfile::tempdir().expect("tempdir");
    let output = concur(dir)
        .env("CONCUR_TARGET_DIR", target.path())
        .args(["verify", "first"])
        .output()
        .expect("concur runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let number_after = |prefix: &str| -> u64 {
        let at = stderr
            .find(prefix)
            .unwrap_or_else(|| panic!("no {prefix:?}: {stderr}"));
        stderr[at + prefix.len()..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no number after {prefix:?}: {stderr}"))
    };
    let announced = number_after("Building the exercise dependencies (");
    let built = number_after("Built ");
    assert_eq!(announced, built, "{stderr}");
}
