//! The exercise list in watch mode (`l`): find an exercise by number or by part of its name.
//!
//! In: the keys typed while the list is open, the course and which exercises are done. Out:
//! what a key asks for (a [`Step`]), which exercises are listed, and the one Enter opens.
//! The list itself is drawn by `screen.rs`; the state machine acts on the step.

use super::event::Key;
use crate::course::Course;
use crate::state::{State, Status};

/// The list's state while choosing: what was typed (a number, or part of a name to search
/// for), the page shown, and whether passed exercises are hidden.
#[derive(Debug, Default)]
pub struct Picker {
    pub typed: String,
    pub page: usize,
    pub hide_done: bool,
}

/// What a key pressed in the list asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// The list stays open, changed (search, page, filter).
    Stay,
    /// Close the list.
    Back,
    Quit,
    /// Open the chosen exercise; with `reset`, then ask whether to reset it.
    Open {
        reset: bool,
    },
}

impl Picker {
    /// Typed characters are searched for rather than read as commands; only Enter, Esc, Tab,
    /// `+` and `!` (or the piped `quit`, `next`, `reset`) act.
    pub fn key(&mut self, key: Key) -> Step {
        match key {
            Key::Char('+') => {
                self.hide_done = !self.hide_done;
                self.page = 0;
            }
            Key::Char(c) | Key::Digit(c) if c.is_alphanumeric() || c == '_' => {
                self.typed.push(c);
                self.page = 0;
            }
            Key::Backspace => {
                self.typed.pop();
            }
            Key::Tab | Key::Next => self.page += 1,
            Key::Escape => return Step::Back,
            Key::Quit => return Step::Quit,
            Key::Enter => return Step::Open { reset: false },
            Key::Reset | Key::Char('!') => return Step::Open { reset: true },
            _ => {}
        }
        Step::Stay
    }

    pub fn number(&self) -> Option<usize> {
        (!self.typed.is_empty() && self.typed.chars().all(|c| c.is_ascii_digit()))
            .then(|| self.typed.parse().ok())
            .flatten()
    }

    /// Whether an exercise is listed: a search keeps the names containing it.
    pub fn shows(&self, name: &str, done: bool) -> bool {
        (!self.hide_done || !done) && (self.number().is_some() || name.contains(&self.typed))
    }

    /// The rows listed: (number, name, status) of each exercise shown.
    pub fn rows<'a>(&self, course: &'a Course, state: &State) -> Vec<(usize, &'a str, &'a str)> {
        course
            .exercises
            .iter()
            .filter(|e| self.shows(&e.name, state.get(&e.name).status == Status::Done))
            .map(|e| {
                let status = match state.get(&e.name).status {
                    Status::Done => "done",
                    Status::Pending => "pending",
                    Status::NotStarted => "not started",
                };
                (e.index + 1, e.name.as_str(), status)
            })
            .collect()
    }

    /// The exercise Enter opens: the number typed, else the first listed. An `Err` is a
    /// message for the learner.
    pub fn chosen(&self, course: &Course, state: &State) -> Result<usize, String> {
        let total = course.exercises.len();
        let chosen = match self.number() {
            Some(n) => (1..=total).contains(&n).then(|| n - 1),
            None => course
                .exercises
                .iter()
                .position(|e| self.shows(&e.name, state.get(&e.name).status == Status::Done)),
        };
        chosen.ok_or_else(|| match self.number() {
            Some(_) => format!("Pick a number from 1 to {total}."),
            None => format!("No exercise matches `{}`.", self.typed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_searches_names_and_can_hide_what_is_done() {
        let mut picker = Picker::default();
        assert!(picker.shows("worker_pool", true) && picker.shows("pipeline", false));
        picker.typed = "pool".to_string();
        assert!(picker.shows("worker_pool", false) && picker.shows("process_pool", true));
        assert!(!picker.shows("pipeline", false));
        picker.hide_done = true;
        assert!(!picker.shows("process_pool", true));
        // A number is a position, not a search: every row stays.
        picker.typed = "12".to_string();
        assert_eq!(picker.number(), Some(12));
        assert!(picker.shows("pipeline", false));
    }

    #[test]
    fn typed_letters_search_instead_of_acting() {
        let mut picker = Picker::default();
        for c in "quit".chars() {
            assert_eq!(picker.key(Key::Char(c)), Step::Stay);
        }
        assert_eq!(picker.typed, "quit");
        assert_eq!(picker.key(Key::Backspace), Step::Stay);
        assert_eq!(picker.typed, "qui");
        assert_eq!(picker.key(Key::Char('!')), Step::Open { reset: true });
        assert_eq!(picker.key(Key::Enter), Step::Open { reset: false });
        assert_eq!(picker.key(Key::Escape), Step::Back);
    }
}
