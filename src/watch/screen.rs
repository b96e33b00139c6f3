//! What the learner sees in watch mode: the last verdict, progress, the file, the keys.
//!
//! In: a [`View`] of the state, and the writer to draw into (stdout in the loop, a buffer in
//! tests). Out: a full redraw on a terminal (clear, then the view, lines ending in CR LF
//! because of raw mode), or plain appended text on a pipe. On a terminal everything fits its
//! size as it is now: prose wraps between words, the status line shortens, the exercise list
//! takes columns and pages. [`Screen`] holds only how to draw, never where.

use std::fmt::Write as _;
use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::outcome::ExerciseReport;
use crate::report::human::wrap;
use crate::report::Human;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();

/// Width of the progress bar in cells.
const BAR_CELLS: usize = 20;
/// The size assumed when output is not a terminal.
const PIPE_SIZE: (usize, usize) = (80, usize::MAX);
/// Clears the screen and its scrollback, cursor home.
const CLEAR_SCREEN: &str = "\x1b[2J\x1b[3J\x1b[H";
/// Back to the start of the line, cleared.
const CLEAR_LINE: &str = "\r\x1b[2K";
/// Lines the list screen keeps for itself besides its rows: title, keys, prompt, a note.
const LIST_CHROME: usize = 5;

/// Everything one redraw shows.
pub struct View<'a> {
    pub name: &'a str,
    pub path: String,
    /// The exercise file's `file://` URL: the path on the status line is a link to it.
    pub link: Option<String>,
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
        /// Which page of the list (wraps around).
        page: usize,
        /// Passed exercises are left out.
        hide_done: bool,
    },
    ConfirmReset,
    Finished(&'a str),
}

/// How the screen is drawn.
pub struct Screen {
    /// A terminal in raw mode (redrawn in place) rather than a pipe (appended to).
    pub raw: bool,
    /// Colours and styles are kept; without them only the terminal control (clearing) is
    /// written, so `NO_COLOR` takes the colours away, not the screen's redraw.
    pub colour: bool,
    /// (columns, rows) when fixed; `None` reads the terminal's size at every redraw, so a
    /// resize takes effect.
    pub size: Option<(usize, usize)>,
}

impl Screen {
    /// The size to draw for, as (columns, rows).
    pub fn size(&self) -> (usize, usize) {
        if let Some(size) = self.size {
            return size;
        }
        if !self.raw {
            return PIPE_SIZE;
        }
        crossterm::terminal::size()
            .ok()
            .filter(|&(c, r)| c > 0 && r > 0)
            .map_or((80, 24), |(c, r)| (usize::from(c), usize::from(r)))
    }

    /// Redraws everything.
    pub fn show(&self, out: &mut dyn Write, view: &View) {
        let (columns, rows) = self.size();
        let fit = self.raw.then_some(columns);
        let mut text = String::new();
        let prose = |text: &mut String, line: &str| {
            for piece in wrap(line, "", fit) {
                let _ = writeln!(text, "{piece}");
            }
        };
        for note in view.notes {
            for line in note.lines() {
                prose(&mut text, line);
            }
            text.push('\n');
        }
        if let Prompt::Pick {
            rows: list,
            typed,
            page,
            hide_done,
        } = &view.prompt
        {
            let _ = writeln!(
                text,
                "{BOLD}Exercises{BOLD:#}  {DIM}✓ done · ✗ pending{}{DIM:#}",
                if *hide_done {
                    " · done ones hidden"
                } else {
                    ""
                }
            );
            let (shown, pages) = list_page(list, columns, rows.saturating_sub(LIST_CHROME), *page);
            text.push_str(&shown);
            let paging = if pages > 1 {
                format!("page {} of {pages} · Tab next page · ", page % pages + 1)
            } else {
                String::new()
            };
            let toggle = if *hide_done { "show" } else { "hide" };
            prose(
                &mut text,
                &format!("{DIM}{paging}! resets it · + {toggle} done · Esc back{DIM:#}"),
            );
            let _ = write!(text, "Number or name, Enter jumps there: {typed}");
            self.write(out, &text, true);
            return;
        }
        if let Some(report) = view.report {
            let mut buf = Vec::new();
            let _ = Human::for_screen(fit).exercise(&mut buf, report);
            text.push_str(&String::from_utf8_lossy(&buf));
        } else {
            let _ = writeln!(text, "`{}` has not been checked yet.", view.name);
        }
        if let Some((n, total, hint)) = view.hint {
            text.push('\n');
            prose(
                &mut text,
                &format!("{CYAN}hint {n} of {total}:{CYAN:#} {hint}"),
            );
        }
        let _ = writeln!(
            text,
            "\n{}",
            status_line(
                view.done,
                view.total,
                &view.path,
                view.link.as_deref().filter(|_| self.raw),
                columns
            )
        );
        match &view.prompt {
            Prompt::Keys { passed } => {
                if *passed {
                    prose(
                        &mut text,
                        &format!(
                            "{GREEN}✓ `{}` passes. Press n for the next exercise.{GREEN:#}",
                            view.name
                        ),
                    );
                }
                for line in keys_line(columns).lines() {
                    let _ = writeln!(text, "{DIM}{line}{DIM:#}");
                }
            }
            Prompt::Pick { .. } => {}
            Prompt::ConfirmReset => prose(
                &mut text,
                &format!(
                    "Reset {} to its starting file? Your version is backed up first. [y/N]",
                    view.path
                ),
            ),
            Prompt::Finished(message) => {
                let _ = writeln!(text, "\n{GREEN}Every exercise passes.{GREEN:#}");
                prose(&mut text, message);
                let _ = writeln!(text, "{DIM}l list · r re-grade · q quit{DIM:#}");
            }
        }
        self.write(out, &text, true);
    }

    /// A one-line status while grading ("checking `x`…"), cut to the terminal's width so it
    /// never wraps (a wrapped status line could not be overwritten in place).
    pub fn status(&self, out: &mut dyn Write, line: &str) {
        if self.raw {
            let line = cut(line, self.size().0.saturating_sub(1));
            control(out, CLEAR_LINE);
            self.write(out, &line, false);
        } else {
            self.write(out, &format!("{line}\n"), false);
        }
    }

    /// Plain text below the screen, such as a message for a key that does nothing now.
    pub fn note(&self, out: &mut dyn Write, line: &str) {
        if self.raw {
            control(out, CLEAR_LINE);
        }
        let (columns, _) = self.size();
        let text: String = wrap(line, "", self.raw.then_some(columns))
            .into_iter()
            .map(|piece| piece + "\n")
            .collect();
        self.write(out, &text, false);
    }

    /// Writes `text`, its styles taken away when colour is off. A screen that fails to
    /// write (the terminal went away) is not an error watch can report anywhere.
    fn write(&self, out: &mut dyn Write, text: &str, clear: bool) {
        if self.raw && clear {
            control(out, CLEAR_SCREEN);
        }
        let stripped;
        let text = if self.colour {
            text
        } else {
            stripped = anstream::adapter::strip_str(text).to_string();
            &stripped
        };
        if self.raw {
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

/// Terminal control (clearing), written past the colour filter.
fn control(out: &mut dyn Write, sequence: &str) {
    let _ = out.write_all(sequence.as_bytes());
    let _ = out.flush();
}

/// The keys, spelt out when the terminal has room.
fn keys_line(columns: usize) -> &'static str {
    const FULL: &str = "n next · h hint · l list · e edit · r re-grade · x reset · q quit";
    if FULL.chars().count() <= columns {
        FULL
    } else {
        "n next · h hint · l list · e edit\nr re-grade · x reset · q quit"
    }
}

/// `[#######-------------]`, `cells` wide inside the brackets.
fn bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(cells - filled))
}

/// `[####----] 3/40 done   current: exercises/…/x.rs`, in `columns` at most: the bar
/// shrinks, then the words go, then the path keeps its end. With `link`, the path is a
/// terminal hyperlink (OSC 8) to the file.
pub fn status_line(
    done: usize,
    total: usize,
    path: &str,
    link: Option<&str>,
    columns: usize,
) -> String {
    let count = format!("{done}/{total} done");
    let width = |s: &str| textwrap::core::display_width(s);
    let linked = |shown: &str| match link {
        Some(url) => format!("\x1b]8;;{url}\x1b\\{shown}\x1b]8;;\x1b\\"),
        None => shown.to_string(),
    };
    for cells in [BAR_CELLS, 10] {
        let plain = format!("{} {count}   current: {path}", bar(done, total, cells));
        if width(&plain) <= columns {
            return format!(
                "{} {count}   {DIM}current:{DIM:#} {BOLD}{}{BOLD:#}",
                bar(done, total, cells),
                linked(path)
            );
        }
    }
    let head = format!("{done}/{total}  ");
    let room = columns.saturating_sub(width(&head));
    let path = if width(path) <= room {
        path.to_string()
    } else {
        let tail: String = {
            let mut kept: Vec<char> = path.chars().rev().take(room.saturating_sub(1)).collect();
            kept.reverse();
            kept.into_iter().collect()
        };
        format!("…{tail}")
    };
    format!("{head}{BOLD}{}{BOLD:#}", linked(&path))
}

/// The `file://` URL of `path`, for a terminal hyperlink.
pub fn file_url(path: &std::path::Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(byte))
            }
            other => url.push_str(&format!("%{other:02X}")),
        }
    }
    url
}

/// `line` cut to `columns` characters, with `…` when something was cut.
fn cut(line: &str, columns: usize) -> String {
    if line.chars().count() <= columns {
        return line.to_string();
    }
    let kept: String = line.chars().take(columns.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// One page of the exercise list laid out in as many columns as fit, and the page count.
fn list_page(
    list: &[(usize, &str, &str)],
    columns: usize,
    rows: usize,
    page: usize,
) -> (String, usize) {
    let name_width = list
        .iter()
        .map(|(_, n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    let number_width = list.len().to_string().len();
    // "  12 ✓ name" plus two spaces between columns.
    let cell = number_width + 3 + name_width;
    let across = ((columns + 2) / (cell + 2)).max(1);
    let rows = rows.max(1);
    let per_page = across.saturating_mul(rows);
    let pages = list.len().div_ceil(per_page).max(1);
    let start = (page % pages) * per_page;
    let shown = &list[start..list.len().min(start + per_page)];
    let down = shown.len().div_ceil(across);
    let mut text = String::new();
    for row in 0..down {
        let mut line = String::new();
        for col in 0..across {
            let Some((number, name, status)) = shown.get(col * down + row) else {
                continue;
            };
            let mark = match *status {
                "done" => "✓",
                "pending" => "✗",
                _ => "·",
            };
            if col > 0 {
                line.push_str("  ");
            }
            let _ = write!(line, "{number:>number_width$} {mark} {name:<name_width$}");
        }
        let _ = writeln!(text, "{}", line.trim_end());
    }
    (text, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, BAR_CELLS), format!("[{}]", "-".repeat(20)));
        assert_eq!(
            bar(2, 4, BAR_CELLS),
            format!("[{}{}]", "#".repeat(10), "-".repeat(10))
        );
        assert_eq!(bar(4, 4, BAR_CELLS), format!("[{}]", "#".repeat(20)));
        assert_eq!(bar(0, 0, BAR_CELLS), format!("[{}]", "-".repeat(20)));
    }

    fn plain(text: &str) -> String {
        anstream::adapter::strip_str(text).to_string()
    }

    #[test]
    fn the_status_line_fits_the_terminal() {
        let path = "exercises/06_web_client/limit_concurrency.rs";
        for columns in [120, 80, 60, 40] {
            let line = plain(&status_line(3, 40, path, None, columns));
            assert!(line.chars().count() <= columns, "{columns}: {line}");
            assert!(line.contains("3/40"), "{line}");
            assert!(line.ends_with("limit_concurrency.rs"), "{line}");
        }
        assert!(plain(&status_line(3, 40, path, None, 120)).contains("current:"));
    }

    #[test]
    fn the_path_on_the_status_line_links_to_the_file() {
        let url = file_url(std::path::Path::new("/home/a b/ex.rs"));
        assert_eq!(url, "file:///home/a%20b/ex.rs");
        let line = status_line(1, 2, "ex.rs", Some(&url), 80);
        assert!(line.contains("\x1b]8;;file:///home/a%20b/ex.rs\x1b\\ex.rs\x1b]8;;\x1b\\"));
        // The link takes no columns: a narrow line is cut as if it were not there.
        let narrow = status_line(
            1,
            2,
            "exercises/06_web_client/limit_concurrency.rs",
            Some(&url),
            40,
        );
        let shown = plain(
            &narrow
                .replace(&format!("\x1b]8;;{url}\x1b\\"), "")
                .replace("\x1b]8;;\x1b\\", ""),
        );
        assert!(shown.chars().count() <= 40, "{shown}");
    }

    #[test]
    fn the_list_takes_columns_and_pages_to_fit() {
        let names: Vec<String> = (1..=40).map(|i| format!("exercise_number_{i}")).collect();
        let list: Vec<(usize, &str, &str)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    i + 1,
                    n.as_str(),
                    if i < 3 { "done" } else { "not started" },
                )
            })
            .collect();
        let (text, pages) = list_page(&list, 80, 24 - LIST_CHROME, 0);
        assert_eq!(pages, 1, "{text}");
        assert!(text.lines().count() <= 20, "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(
            text.contains(" 1 ✓ exercise_number_1") && text.contains("40 · exercise_number_40")
        );
        // 60 × 20: two columns of 16 rows a page.
        let (first, pages) = list_page(&list, 60, 20 - LIST_CHROME, 0);
        assert!(pages > 1 && first.lines().count() <= 16, "{first}");
        let (second, _) = list_page(&list, 60, 20 - LIST_CHROME, 1);
        let first_words: Vec<&str> = first.split_whitespace().collect();
        assert!(second
            .split_whitespace()
            .all(|w| !w.starts_with("exercise") || !first_words.contains(&w)));
        let every: String = (0..pages).map(|p| list_page(&list, 60, 16, p).0).collect();
        for name in &names {
            let on_a_page = every.split_whitespace().any(|word| word == name);
            assert!(on_a_page, "{name} is on no page");
        }
    }
}
