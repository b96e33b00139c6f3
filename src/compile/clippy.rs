//! clippy's lints, for exercises whose course denies some (`deny = ["clippy::…"]`).
//!
//! rustc accepts `#[deny(clippy::…)]` but does not run those lints, so after a build succeeds
//! the exercises that deny a clippy lint are checked once more with `cargo clippy`, every other
//! clippy lint allowed: only the denied ones can fail the build. In: the stage and the
//! exercises whose checks were just built. Out: per exercise whose learner file trips a denied
//! lint, its compile error (the others are not in the map).

use std::collections::HashMap;

use anyhow::{Context, Result};

use super::{cargo, compile_error, errors_by_target, run_cargo, Built, Settings};
use crate::course::Exercise;
use crate::stage::Stage;

/// Runs clippy on the checks of `exercises` and returns the compile errors it found.
pub fn lint(
    stage: &Stage,
    exercises: &[&Exercise],
    settings: &Settings,
) -> Result<HashMap<String, Built>> {
    let Some(first) = exercises.first() else {
        return Ok(HashMap::new());
    };
    let mut cmd = cargo(stage);
    cmd.args([
        "clippy",
        "--keep-going",
        "--workspace",
        "--message-format=json-diagnostic-rendered-ansi",
    ]);
    for ex in exercises {
        cmd.args(["--test", &stage.test_target(ex)]);
    }
    // Attributes in the source outrank the command line, so the exercise's `#[deny(…)]`
    // still holds while clippy's own defaults stay quiet, in the hidden checks too.
    cmd.args(["--", "-A", "clippy::all"]);
    let lint = first
        .deny
        .iter()
        .find(|l| l.starts_with("clippy::"))
        .map_or("", String::as_str);
    // clippy checks the dependencies once per target folder before its first lint.
    let marker = stage.target_dir.join(".concur-clippy-checked");
    let first_time = !marker.exists();
    if first_time {
        eprintln!("Running clippy here for the first time: it checks the dependencies once…");
    }
    let messages = run_cargo(cmd, settings, &mut |_| {}).with_context(|| {
        format!(
            "`{}` denies `{lint}`, a clippy lint, and clippy did not run; is it installed \
             (`rustup component add clippy`)?",
            first.name
        )
    })?;
    if first_time {
        std::fs::write(&marker, "checked\n")
            .with_context(|| format!("writing {}", marker.display()))?;
    }
    let errors = errors_by_target(&messages);
    Ok(exercises
        .iter()
        .filter_map(|ex| {
            let errs = errors.get(&stage.test_target(ex))?;
            Some((ex.name.clone(), compile_error(errs, stage)))
        })
        .collect())
}
