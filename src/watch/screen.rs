//! What the learner sees in watch mode: the last verdict, progress, the file, the keys.
//!
//! In: a [`View`] of the loop's state. Out: a full redraw on a terminal (clear, then the
//! view, lines ending in CR LF because of raw mode), or plain appended text on a pipe.

use std::fmt::Write as _;
use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::outcome::ExerciseReport;
use crate::report::Human;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();

/// Width of the progress bar in cells.
const BAR_CELLS: usize = 20;

/// Everything one redraw shows.
pub struct View<'a> {
    pub name: &'a str,
    pub path: String,
    pub report: Option<&'a ExerciseReport>,
    pub done: usize,
    pub total: usize,
    pub hint: Option<(usize, usize, &'a str)>,
    pub notes: &'a [String],
    pub prompt: Prompt<'a>,
}

/// What the bottom line asks for.
pub enum Prompt<'a> {
    Keys {
        passed: bool,
    },
    Pick {
        rows: Vec<(usize, &'a str, &'a str)>,
        typed: &'a str,
    },
    ConfirmReset,
    Finished(&'a str),
}

pub struct Screen {
    pub raw: bool,
}

impl Screen {
    /// Redraws everything.
    pub fn show(&self, view: &View) {
        let mut text = String::new();
        for note in view.notes {
            let _ = writeln!(text, "{note}\n");
        }
        if let Some(report) = view.report {
            let mut buf = Vec::new();
            let _ = Human::for_stdout(false).exercise(&mut buf, report);
            text.push_str(&String::from_utf8_lossy(&buf));
        } else {
            let _ = writeln!(text, "`{}` has not been checked yet.", view.name);
        }
        if let Some((n, total, hint)) = view.hint {
            let _ = writeln!(text, "\n{CYAN}hint {n} of {total}:{CYAN:#} {hint}");
        }
        let _ = writeln!(
            text,
            "\n{} {}/{} done   {DIM}current:{DIM:#} {BOLD}{}{BOLD:#}",
            progress_bar(view.done, view.total),
            view.done,
            view.total,
            view.path
        );
        match &view.prompt {
            Prompt::Keys { passed } => {
                if *passed {
                    let _ = writeln!(
                        text,
                        "{GREEN}✓ `{}` passes. Press n for the next exercise.{GREEN:#}",
                        view.name
                    );
                }
                let _ = writeln!(
                    text,
                    "{DIM}n next · h hint · l list · r re-grade · x reset · q quit{DIM:#}"
                );
            }
            Prompt::Pick { rows, typed } => {
                let _ = writeln!(text);
                for (number, name, status) in rows {
                    let _ = writeln!(text, "{number:>4}  {name:<24} {status}");
                }
                let _ = writeln!(
                    text,
                    "Type a number and press Enter to jump there (Esc goes back): {typed}"
                );
            }
            Prompt::ConfirmReset => {
                let _ = writeln!(
                    text,
                    "Reset {} to its starting file? Your version is backed up first. [y/N]",
                    view.path
                );
            }
            Prompt::Finished(message) => {
                let _ = writeln!(text, "\n{GREEN}Every exercise passes.{GREEN:#}\n{message}");
                let _ = writeln!(text, "{DIM}l list · r re-grade · q quit{DIM:#}");
            }
        }
        self.write(&text, true);
    }

    /// A one-line status while grading ("checking `x`…").
    pub fn status(&self, line: &str) {
        if self.raw {
            self.write(&format!("\r\x1b[2K{line}"), false);
        } else {
            self.write(&format!("{line}\n"), false);
        }
    }

    /// Plain text below the screen, such as a message for a key that does nothing now.
    pub fn note(&self, line: &str) {
        if self.raw {
            self.write(&format!("\r\x1b[2K{line}\n"), false);
        } else {
            self.write(&format!("{line}\n"), false);
        }
    }

    fn write(&self, text: &str, clear: bool) {
        let mut out = anstream::stdout();
        if self.raw {
            if clear {
                let _ = write!(out, "\x1b[2J\x1b[3J\x1b[H");
            }
            let _ = write!(out, "{}", text.replace('\n', "\r\n"));
        } else {
            if clear {
                let _ = writeln!(out, "────────────────────────────────────────");
            }
            let _ = write!(out, "{text}");
        }
        let _ = out.flush();
    }
}

/// `[#######-------------]`
pub fn progress_bar(done: usize, total: usize) -> String {
    let filled = (done * BAR_CELLS).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(BAR_CELLS - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_in_proportion() {
        assert_eq!(progress_bar(0, 4), format!("[{}]", "-".repeat(20)));
        assert_eq!(
            progress_bar(2, 4),
            format!("[{}{}]", "#".repeat(10), "-".repeat(10))
        );
        assert_eq!(progress_bar(4, 4), format!("[{}]", "#".repeat(20)));
        assert_eq!(progress_bar(0, 0), format!("[{}]", "-".repeat(20)));
    }
}
