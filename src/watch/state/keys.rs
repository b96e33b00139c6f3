//! What each key does in watch mode: move on, hint, list, re-grade, edit, reset, quit.
//!
//! In: a [`Key`] from the loop, read as a command (or, while the list is open, as part of a
//! search), with the time and the writer. Out: the state changed, a grade started through
//! the driver, a redraw or a note, and a [`Flow`]: quit or go on.

use std::io::Write;
use std::time::Instant;

use super::{App, Driver, Edited, Flow, Mode};
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::state::State;
use crate::watch::event::Key;
use crate::watch::picker::{Picker, Step};
use crate::workspace::{self, Restored};

impl<D: Driver> App<D> {
    pub(super) fn key(&mut self, key: Key, now: Instant, out: &mut dyn Write) -> Flow {
        if key == Key::Interrupt {
            return Flow::Quit(exit::INTERRUPTED);
        }
        // A typed character is a command, except in the list, where it is searched for.
        let key = match (&self.mode, key) {
            (Mode::Picking(_), key) => key,
            (_, Key::Char(c)) => Key::from_char(c),
            (_, key) => key,
        };
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Picking(picker) => return self.pick(picker, key, now, out),
            Mode::ConfirmReset => {
                if key == Key::Yes {
                    self.reset(now, out);
                } else {
                    self.notes.push("Reset cancelled.".to_string());
                    self.redraw(out);
                    self.notes.clear();
                }
            }
            Mode::Normal => match key {
                Key::Quit => return Flow::Quit(exit::OK),
                Key::Next => self.next(now, out),
                Key::Hint => self.next_hint(out),
                Key::List => {
                    self.mode = Mode::Picking(Picker::default());
                    self.redraw(out);
                }
                Key::Regrade => self.start_grade(now, out),
                Key::Edit => self.edit(out),
                Key::Reset => {
                    self.mode = Mode::ConfirmReset;
                    self.redraw(out);
                }
                _ => {}
            },
        }
        Flow::Continue
    }

    /// A key while the list is open.
    fn pick(&mut self, mut picker: Picker, key: Key, now: Instant, out: &mut dyn Write) -> Flow {
        match picker.key(key) {
            Step::Quit => return Flow::Quit(exit::OK),
            Step::Back => self.redraw(out),
            Step::Stay => {
                self.mode = Mode::Picking(picker);
                self.redraw(out);
            }
            Step::Open { reset } => match picker.chosen(&self.course, &self.state) {
                Ok(index) => {
                    self.jump(index, now, out);
                    if reset {
                        self.mode = Mode::ConfirmReset;
                        self.redraw(out);
                    }
                }
                Err(message) => {
                    self.notes.push(message);
                    picker.typed.clear();
                    self.mode = Mode::Picking(picker);
                    self.redraw(out);
                    self.notes.clear();
                }
            },
        }
        Flow::Continue
    }

    /// Opens the exercise in the learner's editor; a save is graded as any other.
    fn edit(&mut self, out: &mut dyn Write) {
        let file = self.file();
        match self.driver.edit(&file) {
            Ok(Edited::Returned) => {
                if self.grading.is_none() {
                    self.redraw(out);
                }
            }
            Ok(Edited::Started) => {
                let path = self.exercise().display_path();
                self.screen
                    .note(out, &format!("opened {path} in the editor"));
            }
            Err(message) => self.screen.note(out, &message),
        }
    }

    fn next(&mut self, now: Instant, out: &mut dyn Write) {
        let passed = self.report.as_ref().is_some_and(ExerciseReport::passed);
        if !passed {
            self.screen.note(
                out,
                "n moves on once this exercise passes (h shows a hint).",
            );
            return;
        }
        let total = self.course.exercises.len();
        let next = (1..=total)
            .map(|step| (self.current + step) % total)
            .find(|&i| !self.done(&self.course.exercises[i].name));
        match next {
            Some(i) => self.jump(i, now, out),
            None => self.redraw(out),
        }
    }

    fn jump(&mut self, index: usize, now: Instant, out: &mut dyn Write) {
        self.current = index;
        self.report = None;
        self.hint = None;
        self.graded_content = None;
        self.debounce = None;
        self.start_grade(now, out);
    }

    fn next_hint(&mut self, out: &mut dyn Write) {
        let ex = self.exercise();
        let name = ex.name.clone();
        let total = ex.hints.len();
        let shown = self.state.get(&name).hints_shown;
        let next = match self.hint {
            Some(current) => (current + 1).min(total),
            None => shown.clamp(1, total),
        };
        self.hint = Some(next);
        self.state.set_hints_shown(&name, shown.max(next));
        self.save_state();
        self.redraw(out);
    }

    fn reset(&mut self, now: Instant, out: &mut dyn Write) {
        let ex = self.exercise().clone();
        match workspace::restore(&self.course, &ex) {
            Ok(Restored::Unchanged) => self
                .notes
                .push("The file already is the starting file.".to_string()),
            Ok(Restored::Restored { backup }) => {
                self.state = State::load(&self.course.home).0;
                let saved = backup
                    .map(|b| format!(" Your version is saved in {}.", self.course.relative(&b)))
                    .unwrap_or_default();
                self.notes
                    .push(format!("Restored the starting file.{saved}"));
                self.graded_content = None;
                self.start_grade(now, out);
                return;
            }
            Err(e) => self.notes.push(format!("Reset failed: {e:#}")),
        }
        self.redraw(out);
        self.notes.clear();
    }
}
