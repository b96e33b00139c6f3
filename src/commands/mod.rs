//! One module per verb. Each takes parsed arguments and a loaded course, writes to the
//! writer it is given, and returns the exit code.

pub mod dev_check;
pub mod dev_new;
pub mod doctor;
pub mod grade;
pub mod hint;
pub mod init;
pub mod list;
pub mod reset;
pub mod run;
pub mod serve;
pub mod verify;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::{Course, CourseError, Exercise};

/// Resolves exercise names given on the command line, in the order given; an empty list means
/// every exercise.
pub fn select<'c>(course: &'c Course, names: &[String]) -> Result<Vec<&'c Exercise>> {
    if names.is_empty() {
        return Ok(course.exercises.iter().collect());
    }
    names
        .iter()
        .map(|n| course.exercise(n).map_err(anyhow::Error::from))
        .collect()
}

/// The hidden checks to grade with: `--checks DIR` (kept outside the learners' copy), else the
/// course's own.
pub fn checks_dir(course: &Course, explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(dir) if dir.is_dir() => {
            std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))
        }
        Some(dir) => Err(CourseError::new(
            dir,
            None,
            Some("--checks"),
            "no such folder: it should hold the hidden checks, laid out like tests/hidden/".into(),
        )
        .into()),
        None => Ok(course.checks_dir()),
    }
}
