//! The dependency set every exercise shares, built once per target directory with progress.
//!
//! In: a [`Stage`]. Out: the dependencies compiled in the exercise profile, and a marker in the
//! target directory so later runs skip straight to the learner's file. The first build takes
//! a while, so it shows crates built out of the total rather than a silent wait.

use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use super::messages::Message;
use super::{cargo, run_cargo, Settings};
use crate::stage::Stage;

/// Builds the exercise dependencies unless this target directory already has them.
pub fn ensure_dependencies(stage: &Stage, settings: &Settings) -> Result<()> {
    let manifest = std::fs::read_to_string(stage.dir.join("Cargo.toml"))
        .context("reading the staged manifest")?;
    // Only the dependencies and the profile matter: the package name differs per tree and
    // targets come and go with the course.
    let deps = manifest
        .split("\n[[")
        .next()
        .and_then(|head| head.split_once("[dependencies]"))
        .map(|(_, deps)| deps)
        .unwrap_or_default();
    let fingerprint = format!("{:016x}", crate::files::fnv1a(deps.as_bytes()));
    let marker = stage.target_dir.join(format!(".concur-deps-{fingerprint}"));
    if marker.exists() {
        return Ok(());
    }

    let total = count_units(stage).unwrap_or(150);
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:20.cyan/blue}] {pos}/{len} crates {elapsed}")
            .expect("the progress template is valid")
            .progress_chars("#>-"),
    );
    // Said before the bar is first drawn: a line printed under a drawn bar leaves a stale copy
    // of it on the screen.
    if bar.is_hidden() {
        eprintln!(
            "Building the exercise dependencies ({total} crates); this happens once and takes a few minutes…"
        );
    } else {
        eprintln!("This happens once per machine and takes a few minutes.");
    }
    // Short enough for the line to fit 60 columns.
    bar.set_message("Building dependencies");
    let started = Instant::now();
    let mut cmd = cargo(stage);
    cmd.args(["build", "--lib", "--message-format=json"]);
    let mut built = 0u64;
    let result = run_cargo(cmd, settings, &mut |message| {
        if matches!(message, Message::DependencyBuilt) {
            built += 1;
            if built >= bar.length().unwrap_or(0) {
                bar.set_length(built + 1);
            }
            bar.set_position(built);
        }
    });
    bar.finish_and_clear();
    let messages = result.context("building the exercise dependencies")?;
    if !messages
        .iter()
        .any(|m| matches!(m, Message::BuildFinished { success: true }))
    {
        anyhow::bail!("building the exercise dependencies failed");
    }
    eprintln!(
        "Built {built} dependency crates in {:.0?}.",
        started.elapsed()
    );
    std::fs::create_dir_all(&stage.target_dir)
        .with_context(|| format!("creating {}", stage.target_dir.display()))?;
    std::fs::write(&marker, "built\n").with_context(|| format!("writing {}", marker.display()))
}

/// How many crates the build will compile: host packages plus their build scripts.
fn count_units(stage: &Stage) -> Option<u64> {
    let mut cmd = cargo(stage);
    cmd.args(["metadata", "--format-version", "1"]);
    if let Some(host) = host_triple() {
        cmd.args(["--filter-platform", &host]);
    }
    let out = crate::sandbox::output(cmd).ok()?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let nodes = meta["resolve"]["nodes"].as_array()?.len() as u64;
    let scripts = meta["packages"]
        .as_array()?
        .iter()
        .filter(|p| {
            p["targets"].as_array().is_some_and(|ts| {
                ts.iter().any(|t| {
                    t["kind"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k == "custom-build"))
                })
            })
        })
        .count() as u64;
    // The staged packages themselves (the checks' and the programs') are not dependencies.
    let members = meta["workspace_members"].as_array().map_or(1, Vec::len) as u64;
    Some((nodes + scripts).saturating_sub(members))
}

fn host_triple() -> Option<String> {
    let mut rustc = std::process::Command::new("rustc");
    rustc.arg("-vV");
    let out = crate::sandbox::output(rustc).ok()?;
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
}
