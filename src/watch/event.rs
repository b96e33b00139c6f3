//! The events of watch mode: everything that can happen, as one enum flowing to one loop.
//!
//! In: file changes, keys, grading progress and results. Out: [`Event`]s on a channel that
//! the loop in `mod.rs` alone consumes, handing each to the state machine in `state.rs`.
//! Grading events carry the generation of the grade they come from: a grade that was
//! cancelled for a newer one may still report, and is then ignored.

use crate::outcome::ExerciseReport;

/// Something the watch loop reacts to.
#[derive(Debug)]
pub enum Event {
    /// A file in the exercises folder was written, created, renamed or removed.
    FileChanged(std::path::PathBuf),
    /// A key (terminal) or a command line (pipe).
    Key(Key),
    /// Grading moved on: "compiling…", "checking `x`…".
    Progress { generation: u64, text: String },
    /// Grading ended, with a verdict or with concur's own error.
    Graded {
        generation: u64,
        result: Box<Result<ExerciseReport, String>>,
    },
    /// The file watcher failed; watch goes on without it.
    WatcherError(String),
    /// Input ended (stdin closed).
    InputClosed,
    /// The terminal changed size: draw again to fit.
    Resized,
    /// A piped line that is no command.
    Unknown(String),
}

/// A command from the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Next,
    Hint,
    List,
    Regrade,
    Reset,
    /// Open the exercise in the learner's editor.
    Edit,
    Quit,
    /// Ctrl-C in raw mode, where the terminal sends no signal.
    Interrupt,
    Yes,
    Digit(char),
    /// A character typed on the terminal, before it is read as a command (in the list it is
    /// searched for instead).
    Char(char),
    Tab,
    Enter,
    Escape,
    Backspace,
    Other,
}

impl Key {
    /// The key a single character stands for.
    pub fn from_char(c: char) -> Key {
        match c.to_ascii_lowercase() {
            'n' => Key::Next,
            'h' => Key::Hint,
            'l' => Key::List,
            'r' => Key::Regrade,
            'x' => Key::Reset,
            'e' => Key::Edit,
            'q' => Key::Quit,
            'y' => Key::Yes,
            d if d.is_ascii_digit() => Key::Digit(d),
            _ => Key::Other,
        }
    }

    /// The keys a line of piped input stands for: `n`, `h`, `r`, `q`, … or a number followed
    /// by Enter when picking an exercise from the list.
    pub fn from_line(line: &str) -> Vec<Key> {
        let line = line.trim();
        if line.is_empty() {
            return vec![Key::Enter];
        }
        if line.chars().all(|c| c.is_ascii_digit()) {
            let mut keys: Vec<Key> = line.chars().map(Key::Digit).collect();
            keys.push(Key::Enter);
            return keys;
        }
        match line.to_ascii_lowercase().as_str() {
            "next" => vec![Key::Next],
            "hint" => vec![Key::Hint],
            "list" => vec![Key::List],
            "reset" => vec![Key::Reset],
            "edit" => vec![Key::Edit],
            "quit" | "exit" => vec![Key::Quit],
            "yes" => vec![Key::Yes],
            "no" => vec![Key::Escape],
            other if other.chars().count() == 1 => {
                vec![Key::from_char(other.chars().next().unwrap_or(' '))]
            }
            _ => vec![Key::Other],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_lines_become_keys() {
        assert_eq!(Key::from_line("n\n"), vec![Key::Next]);
        assert_eq!(Key::from_line(" Q "), vec![Key::Quit]);
        assert_eq!(
            Key::from_line("12"),
            vec![Key::Digit('1'), Key::Digit('2'), Key::Enter]
        );
        assert_eq!(Key::from_line("bogus"), vec![Key::Other]);
    }
}
