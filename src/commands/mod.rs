//! One module per verb. Each takes parsed arguments and the session (or only its course),
//! writes to the writer it is given, and returns the exit code or an [`Error`] that knows its
//! own.
//!
//! [`Error`]: crate::error::Error

pub mod class;
pub mod dev_check;
pub mod dev_new;
pub mod doctor;
pub mod hint;
pub mod init;
pub mod list;
pub mod reset;
pub mod run;
pub mod serve;
pub mod verify;

use crate::course::{Course, Exercise, UnknownExercise};

/// Resolves exercise names given on the command line, in the order given; an empty list means
/// every exercise.
pub fn select<'c>(
    course: &'c Course,
    names: &[String],
) -> Result<Vec<&'c Exercise>, UnknownExercise> {
    if names.is_empty() {
        return Ok(course.exercises.iter().collect());
    }
    names.iter().map(|n| course.exercise(n)).collect()
}
