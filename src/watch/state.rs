//! The state machine of watch mode: what the learner is on, what was graded, what is shown.
//!
//! In: one [`Event`] at a time with the time it is handled at, a writer to draw into, and a
//! [`Driver`] for what only the loop can do (start or cancel a grade, open the editor). Out:
//! what is drawn, calls on the driver, progress saved in `.concur/state.json`, and a [`Flow`]
//! telling the loop whether to go on. It never touches stdout, the clock or threads itself,
//! so tests drive it with a buffer, instants of their own and a driver that records calls.
//!
//! What each key does is in `state/keys.rs`; the list's search in `picker.rs`.
//!
//! Every grade has a generation. A save while grading cancels the running grade and starts
//! a new one; whatever the cancelled one still reports carries an older generation and is
//! dropped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::event::Event;
use super::picker::Picker;
use super::screen::{self, Prompt, Screen, View};
use crate::course::{Course, Exercise};
use crate::outcome::ExerciseReport;
use crate::state::{State, Status};

mod keys;

/// Editors write a file in several steps (truncate, then write); wait this long after the
/// last event before reading it.
pub const DEBOUNCE: Duration = Duration::from_millis(80);
/// Spinner frame rate while grading.
pub const TICK: Duration = Duration::from_millis(100);
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// What the loop does for the state machine.
pub trait Driver {
    /// Starts grading exercise `exercise_index`; its progress and verdict come back as
    /// events carrying `generation`.
    fn start_grade(&mut self, exercise_index: usize, generation: u64);
    /// Stops the running grade; whatever it still reports is stale.
    fn cancel_grade(&mut self);
    /// Opens `file` in the learner's editor; an `Err` is a message for the learner.
    fn edit(&mut self, file: &Path) -> Result<Edited, String>;
}

/// How the editor was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// It had the terminal until it exited: the screen is to be drawn again.
    Returned,
    /// It was started beside watch (there is no terminal to hand over).
    Started,
}

/// Whether the loop goes on.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit(u8),
}

/// What a key press means now.
enum Mode {
    Normal,
    /// Choosing from the list.
    Picking(Picker),
    ConfirmReset,
}

/// The running grade.
struct Grading {
    generation: u64,
    started: Instant,
    /// What it says it is doing.
    doing: String,
}

pub struct App<D> {
    course: Course,
    screen: Screen,
    pub driver: D,
    state: State,
    current: usize,
    report: Option<ExerciseReport>,
    grading: Option<Grading>,
    /// The last grade started; a verdict from any other is stale.
    generation: u64,
    /// The content last graded, to skip saves that changed nothing.
    graded_content: Option<Vec<u8>>,
    /// When the current file's last save is read, once the editor is done writing it.
    debounce: Option<Instant>,
    hint: Option<usize>,
    /// Shown with the next full redraw, then cleared.
    notes: Vec<String>,
    mode: Mode,
    frame: usize,
}

impl<D: Driver> App<D> {
    /// Opens on the first exercise not done yet.
    pub fn new(course: Course, screen: Screen, driver: D) -> App<D> {
        let (state, warning) = State::load(&course.home);
        let mut notes: Vec<String> = warning.into_iter().collect();
        let current = course
            .exercises
            .iter()
            .position(|e| state.get(&e.name).status != Status::Done)
            .unwrap_or(0);
        let fresh = course
            .exercises
            .iter()
            .all(|e| state.get(&e.name).status == Status::NotStarted);
        if let (true, Some(welcome)) = (fresh, &course.welcome_message) {
            notes.push(welcome.trim().to_string());
        }
        App {
            course,
            screen,
            driver,
            state,
            current,
            report: None,
            grading: None,
            generation: 0,
            graded_content: None,
            debounce: None,
            hint: None,
            notes,
            mode: Mode::Normal,
            frame: 0,
        }
    }

    /// A note for the next screen (how files are watched, say).
    pub fn add_note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// When the loop must wake up even if no event arrives: the next spinner frame while
    /// grading, the end of a debounce.
    pub fn wake_at(&self, now: Instant) -> Option<Instant> {
        let frame = self.grading.as_ref().map(|_| now + TICK);
        [frame, self.debounce].into_iter().flatten().min()
    }

    pub fn handle(&mut self, event: Event, now: Instant, out: &mut dyn Write) -> Flow {
        match event {
            Event::FileChanged(path) => {
                if same_file(&path, &self.file()) {
                    self.debounce = Some(now + DEBOUNCE);
                }
            }
            Event::Key(key) => return self.key(key, now, out),
            Event::Progress { generation, text } => {
                if let Some(grading) = &mut self.grading {
                    if grading.generation == generation {
                        grading.doing = text;
                    }
                }
                return self.tick(now, out);
            }
            Event::Graded { generation, result } => {
                if self.grading.as_ref().map(|g| g.generation) == Some(generation) {
                    self.graded(*result, out);
                }
            }
            Event::WatcherError(e) => self.screen.note(out, &format!("file watcher: {e}")),
            Event::Resized => {
                if self.grading.is_none() {
                    self.redraw(out);
                }
            }
            Event::Unknown(command) => self.screen.note(
                out,
                &format!(
                    "`{command}` is not a command here: n next · h hint · l list · r re-grade · \
                     x reset · q quit"
                ),
            ),
            Event::InputClosed => {}
        }
        Flow::Continue
    }

    /// Time passed without an event: the spinner moves, a debounce may end.
    pub fn tick(&mut self, now: Instant, out: &mut dyn Write) -> Flow {
        if let Some(grading) = &self.grading {
            self.frame = (self.frame + 1) % SPINNER.len();
            if self.screen.raw {
                let elapsed = now.saturating_duration_since(grading.started);
                self.screen.status(
                    out,
                    &format!(
                        "{} {} {:.1}s",
                        SPINNER[self.frame],
                        grading.doing,
                        elapsed.as_secs_f64()
                    ),
                );
            }
        }
        if self.debounce.is_some_and(|d| now >= d) {
            self.debounce = None;
            self.saved(now, out);
        }
        Flow::Continue
    }

    /// Watch is ending: a running grade is cancelled, progress saved.
    pub fn quit(&mut self) {
        if self.grading.take().is_some() {
            self.driver.cancel_grade();
        }
        self.save_state();
    }

    fn exercise(&self) -> &Exercise {
        &self.course.exercises[self.current]
    }

    fn file(&self) -> PathBuf {
        self.exercise().file_in(&self.course.exercises_dir())
    }

    fn done(&self, name: &str) -> bool {
        self.state.get(name).status == Status::Done
    }

    /// The current file was saved (and the editor is done writing it).
    fn saved(&mut self, now: Instant, out: &mut dyn Write) {
        let content = std::fs::read(self.file()).ok();
        if content.is_some() && content == self.graded_content {
            return;
        }
        self.start_grade(now, out);
    }

    /// Grades the current exercise, cancelling a grade still running: its verdict would be
    /// for a file that is no longer there.
    pub fn start_grade(&mut self, now: Instant, out: &mut dyn Write) {
        if self.grading.take().is_some() {
            self.driver.cancel_grade();
        }
        self.graded_content = std::fs::read(self.file()).ok();
        self.generation += 1;
        let doing = format!("checking `{}`…", self.exercise().name);
        self.screen.status(out, &doing);
        self.grading = Some(Grading {
            generation: self.generation,
            started: now,
            doing,
        });
        self.driver.start_grade(self.current, self.generation);
    }

    fn graded(&mut self, result: Result<ExerciseReport, String>, out: &mut dyn Write) {
        self.grading = None;
        match result {
            Ok(report) => {
                let status = if report.passed() {
                    Status::Done
                } else {
                    Status::Pending
                };
                self.state.set_status(&report.name, status);
                self.save_state();
                if report.passed() {
                    self.reveal_solution(&report.name);
                }
                self.report = Some(report);
            }
            Err(e) => self.notes.push(format!("concur could not grade: {e}")),
        }
        self.redraw(out);
        self.notes.clear();
    }

    /// In a workspace, writes the reference solution beside an exercise that now passes.
    fn reveal_solution(&mut self, name: &str) {
        let Ok(ex) = self.course.exercise(name) else {
            return;
        };
        match crate::workspace::reveal_solution(&self.course, ex) {
            Ok(Some(path)) => self.notes.push(format!(
                "the reference solution is now in {}: compare it with yours",
                self.course.relative(&path)
            )),
            Ok(None) => {}
            Err(e) => self
                .notes
                .push(format!("could not write the solution: {e:#}")),
        }
    }

    fn save_state(&mut self) {
        if let Err(e) = self.state.save() {
            self.notes.push(format!("could not save progress: {e:#}"));
        }
    }

    fn redraw(&self, out: &mut dyn Write) {
        let ex = self.exercise();
        let total = self.course.exercises.len();
        let done = self
            .course
            .exercises
            .iter()
            .filter(|e| self.done(&e.name))
            .count();
        let passed = self.report.as_ref().is_some_and(ExerciseReport::passed);
        let final_message = self.course.final_message.as_deref().unwrap_or("Well done.");
        let prompt = match &self.mode {
            Mode::Picking(picker) => Prompt::Pick {
                rows: picker.rows(&self.course, &self.state),
                typed: picker.typed.as_str(),
                page: picker.page,
                hide_done: picker.hide_done,
            },
            Mode::ConfirmReset => Prompt::ConfirmReset,
            Mode::Normal if done == total => Prompt::Finished(final_message),
            Mode::Normal => Prompt::Keys { passed },
        };
        self.screen.show(
            out,
            &View {
                name: &ex.name,
                path: ex.display_path(),
                link: std::path::absolute(self.file())
                    .ok()
                    .map(|f| screen::file_url(&f)),
                report: self.report.as_ref(),
                done,
                total,
                hint: self
                    .hint
                    .map(|n| (n, ex.hints.len(), ex.hints[n - 1].as_str())),
                notes: &self.notes,
                prompt,
            },
        );
    }
}

/// Whether an event's path is the exercise file (editors may report it through another
/// spelling of the folder, so compare the last two components).
fn same_file(event: &Path, file: &Path) -> bool {
    event.file_name() == file.file_name()
        && event.parent().and_then(Path::file_name) == file.parent().and_then(Path::file_name)
}

#[cfg(test)]
mod tests;
