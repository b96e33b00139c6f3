//! `concur list`: every exercise with its number, topic and status.
//!
//! In: the course and the learner's state. Out: a table and a progress count.

use std::io::Write;

use crate::error::Result;
use anstyle::{AnsiColor, Style};

use crate::course::Course;
use crate::exit;
use crate::state::{State, Status};

pub fn run(course: &Course, out: &mut dyn Write) -> Result<u8> {
    let state = State::open(&course.home);
    let started = course
        .exercises
        .iter()
        .any(|e| state.get(&e.name).status != Status::NotStarted);
    if let (false, Some(welcome)) = (started, &course.welcome_message) {
        writeln!(out, "{}\n", welcome.trim())?;
    }
    let width = course
        .exercises
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let topic_width = course
        .exercises
        .iter()
        .map(|e| e.dir.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let bold = Style::new().bold();
    writeln!(
        out,
        "{bold}{:>3}  {:<width$}  {:<topic_width$}  status{bold:#}",
        "#", "name", "topic"
    )?;
    let mut done = 0;
    for ex in &course.exercises {
        let status = state.get(&ex.name).status;
        let (text, style) = match status {
            Status::Done => ("done", AnsiColor::Green.on_default()),
            Status::Pending => ("pending", AnsiColor::Yellow.on_default()),
            Status::NotStarted => ("not started", Style::new().dimmed()),
        };
        if status == Status::Done {
            done += 1;
        }
        writeln!(
            out,
            "{:>3}  {:<width$}  {:<topic_width$}  {style}{text}{style:#}",
            ex.index + 1,
            ex.name,
            ex.dir
        )?;
    }
    writeln!(out, "\n{done}/{} done", course.exercises.len())?;
    Ok(exit::OK)
}
