//! `concur reset NAME`: restore an exercise's starting file, keeping the learner's version.
//!
//! In: an exercise name. Out: where the learner's version was saved (under `.concur/backup/`)
//! and that the starting file is back; the restoring itself is [`restore`].

use std::io::Write;

use crate::cli::ResetArgs;
use crate::course::Course;
use crate::error::Result;
use crate::exit;
use crate::workspace::{restore, Restored};

pub fn run(course: &Course, args: &ResetArgs, out: &mut dyn Write) -> Result<u8> {
    let ex = course.exercise(&args.name)?;
    let rel = course.relative(&ex.file_in(&course.exercises_dir()));
    match restore(course, ex)? {
        Restored::Unchanged => {
            writeln!(out, "{rel} is already the starting file; nothing to do.")?;
        }
        Restored::Restored { backup } => {
            if let Some(backup) = backup {
                writeln!(out, "Your version is saved in {}", course.relative(&backup))?;
            }
            writeln!(out, "Restored the starting file {rel}.")?;
        }
    }
    Ok(exit::OK)
}
