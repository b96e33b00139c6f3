//! Leaked-child detection. One test in this binary: waitpid(-1) sees every child of the process.

#![cfg(unix)]

use std::panic::catch_unwind;
use std::process::Command;
use std::thread;
use std::time::Duration;

use concur_kit::{assert_no_children, exercise_program, PROGRAM_ENV};

fn message(err: Box<dyn std::any::Any + Send>) -> String {
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .expect("string panic payload")
}

#[test]
fn children_must_be_waited_for() {
    // No children at all.
    assert_no_children();

    // A child that was waited for.
    let mut child = Command::new("true").spawn().expect("spawn true");
    child.wait().expect("wait");
    assert_no_children();

    // A child still running.
    let mut sleeper = Command::new("sleep").arg("5").spawn().expect("spawn sleep");
    let err = catch_unwind(assert_no_children).expect_err("running child must be reported");
    assert!(message(err).contains("still running"));
    sleeper.kill().expect("kill sleep");
    sleeper.wait().expect("reap sleep");

    // A child that ended but was never waited for.
    #[allow(clippy::zombie_processes)] // leaving a zombie is what this step tests
    let zombie = Command::new("true").spawn().expect("spawn true");
    let pid = zombie.id();
    thread::sleep(Duration::from_millis(200));
    let err = catch_unwind(assert_no_children).expect_err("zombie must be reported");
    let text = message(err);
    assert!(
        text.contains(&format!("(pid {pid}) ended but was never waited for")),
        "{text}"
    );
    // The check reaped it.
    assert_no_children();

    // The program path comes from the environment.
    std::env::remove_var(PROGRAM_ENV);
    let err = catch_unwind(exercise_program).expect_err("unset variable must be explained");
    assert!(message(err).starts_with("CONCUR_EXERCISE_BIN is not set"));
    std::env::set_var(PROGRAM_ENV, "/tmp/learner-bin");
    assert_eq!(
        exercise_program(),
        std::path::PathBuf::from("/tmp/learner-bin")
    );
}
