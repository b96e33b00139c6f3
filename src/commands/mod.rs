//! One module per verb. Each takes parsed arguments and a loaded course, writes to the
//! writer it is given, and returns the exit code.

pub mod dev_check;
pub mod hint;
pub mod list;
pub mod reset;
pub mod run;
pub mod serve;
pub mod verify;

use anyhow::Result;

use crate::course::{Course, Exercise};

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
