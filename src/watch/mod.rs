//! `concur watch`: re-grade the current exercise on every save.
//!
//! One loop owns the screen and the state. File changes, keys, grading progress and
//! verdicts arrive as [`Event`]s on one channel; grading runs on a thread of its own and
//! reports back, so the loop never blocks on it. While nothing happens the loop sleeps in
//! `recv` (no polling); it wakes on a timer only to animate the spinner while grading and to
//! end a debounce.

mod editor;
mod event;
mod files;
mod input;
mod screen;
mod terminal;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::build;
use crate::cli::WatchArgs;
use crate::commands::reset::{self, Restored};
use crate::course::{Course, Exercise};
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::pipeline::{self, Observer};
use crate::stage::{Stage, Tree};
use crate::state::{State, Status};
pub use event::{Event, Key};
use screen::{Prompt, Screen, View};

/// Editors write a file in several steps (truncate, then write); wait this long after the
/// last event before reading it.
const DEBOUNCE: Duration = Duration::from_millis(80);
/// Spinner frame rate while grading.
const TICK: Duration = Duration::from_millis(100);
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub fn run(course: &Course, args: &WatchArgs) -> Result<u8> {
    // The first run builds the dependency set, with its progress bar, before the screen is
    // taken over.
    let stage = Stage::prepare(course, Tree::exercises(course), &course.checks_dir())?;
    build::ensure_dependencies(&stage)?;
    // The stage holds the folder's lock; each grade takes it again.
    drop(stage);

    let (tx, rx) = mpsc::channel();
    let raw = terminal::RawMode::enter();
    let screen = Screen {
        raw: raw.is_active(),
        colour: anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
        size: None,
    };
    let keys = if raw.is_active() {
        Some(input::spawn_keys(tx.clone()))
    } else {
        input::spawn_lines(tx.clone());
        None
    };

    let mut app = App::new(course.clone(), screen, tx.clone());
    app.keys = keys;
    let _watcher = if args.manual {
        app.notes
            .push("Manual mode: files are not watched; press r to re-grade.".to_string());
        None
    } else {
        let wanted = if args.poll {
            files::Mode::Poll
        } else {
            files::Mode::Native
        };
        match files::watch(&course.exercises_dir(), wanted, tx) {
            Ok((watcher, _mode, reason)) => {
                app.notes.extend(reason);
                Some(watcher)
            }
            Err(e) => {
                app.notes.push(format!(
                    "Files cannot be watched ({e}); press r to re-grade after a save."
                ));
                None
            }
        }
    };

    app.start_grade();
    let code = loop {
        let event = match (app.grading.is_some(), app.debounce) {
            (true, _) => rx.recv_timeout(TICK),
            (false, Some(deadline)) => {
                rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            }
            (false, None) => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let flow = match event {
            Ok(event) => app.handle(event),
            Err(RecvTimeoutError::Timeout) => app.tick(),
            Err(RecvTimeoutError::Disconnected) => Flow::Quit(exit::OK),
        };
        if let Flow::Quit(code) = flow {
            break code;
        }
    };
    if app.grading.is_some() {
        crate::sandbox::kill_running();
    }
    app.save_state();
    drop(raw);
    println!();
    Ok(code)
}

enum Flow {
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

/// The list's state while choosing: what was typed (a number, or part of a name to search
/// for), the page shown, and whether passed exercises are hidden.
#[derive(Default)]
struct Picker {
    typed: String,
    page: usize,
    hide_done: bool,
}

impl Picker {
    fn number(&self) -> Option<usize> {
        (!self.typed.is_empty() && self.typed.chars().all(|c| c.is_ascii_digit()))
            .then(|| self.typed.parse().ok())
            .flatten()
    }

    /// Whether an exercise is listed: a search keeps the names containing it.
    fn shows(&self, name: &str, done: bool) -> bool {
        (!self.hide_done || !done) && (self.number().is_some() || name.contains(&self.typed))
    }
}

struct App {
    course: Course,
    screen: Screen,
    tx: Sender<Event>,
    state: State,
    current: usize,
    report: Option<ExerciseReport>,
    /// When the running grade started, and what it says it is doing.
    grading: Option<(Instant, String)>,
    /// A save arrived while grading: look again when the grade ends.
    pending: bool,
    /// The content last graded, to skip saves that changed nothing.
    graded_content: Option<Vec<u8>>,
    debounce: Option<Instant>,
    hint: Option<usize>,
    notes: Vec<String>,
    mode: Mode,
    frame: usize,
    /// The terminal's key reader, paused while the editor has the terminal.
    keys: Option<input::KeyReader>,
}

impl App {
    fn new(course: Course, screen: Screen, tx: Sender<Event>) -> App {
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
            tx,
            state,
            current,
            report: None,
            grading: None,
            pending: false,
            graded_content: None,
            debounce: None,
            hint: None,
            notes,
            mode: Mode::Normal,
            frame: 0,
            keys: None,
        }
    }

    fn exercise(&self) -> &Exercise {
        &self.course.exercises[self.current]
    }

    fn file(&self) -> PathBuf {
        self.exercise().file_in(&self.course.exercises_dir())
    }

    fn handle(&mut self, event: Event) -> Flow {
        match event {
            Event::FileChanged(path) => {
                if same_file(&path, &self.file()) {
                    self.debounce = Some(Instant::now() + DEBOUNCE);
                }
            }
            Event::Key(key) => return self.key(key),
            Event::Progress(text) => {
                if let Some((_, doing)) = &mut self.grading {
                    *doing = text;
                }
                self.tick();
            }
            Event::Graded(result) => self.graded(*result),
            Event::WatcherError(e) => self
                .screen
                .note(&mut std::io::stdout(), &format!("file watcher: {e}")),
            Event::Resized => {
                if self.grading.is_none() {
                    self.redraw();
                }
            }
            Event::Unknown(command) => self.screen.note(
                &mut std::io::stdout(),
                &format!(
                    "`{command}` is not a command here: n next · h hint · l list · r re-grade · x \
                 reset · q quit"
                ),
            ),
            Event::InputClosed => {}
        }
        Flow::Continue
    }

    fn tick(&mut self) -> Flow {
        if let Some((started, doing)) = &self.grading {
            self.frame = (self.frame + 1) % SPINNER.len();
            if self.screen.raw {
                self.screen.status(
                    &mut std::io::stdout(),
                    &format!(
                        "{} {doing} {:.1}s",
                        SPINNER[self.frame],
                        started.elapsed().as_secs_f64()
                    ),
                );
            }
        }
        if self.debounce.is_some_and(|d| Instant::now() >= d) {
            self.debounce = None;
            self.saved();
        }
        Flow::Continue
    }

    /// The current file was saved (and the editor is done writing it).
    fn saved(&mut self) {
        if self.grading.is_some() {
            self.pending = true;
            return;
        }
        let content = std::fs::read(self.file()).ok();
        if content.is_some() && content == self.graded_content {
            return;
        }
        self.start_grade();
    }

    fn start_grade(&mut self) {
        if self.grading.is_some() {
            self.pending = true;
            return;
        }
        self.graded_content = std::fs::read(self.file()).ok();
        let name = self.exercise().name.clone();
        let doing = format!("checking `{name}`…");
        self.screen.status(&mut std::io::stdout(), &doing);
        self.grading = Some((Instant::now(), doing));
        let course = self.course.clone();
        let index = self.current;
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            let ex = &course.exercises[index];
            let mut observer = Progress { tx: tx.clone() };
            let result = pipeline::grade(
                &course,
                Tree::exercises(&course),
                &course.checks_dir(),
                &[ex],
                &pipeline::Options::default(),
                &mut observer,
            )
            .map_err(|e| format!("{e:#}"))
            .and_then(|mut reports| reports.pop().ok_or_else(|| "no verdict".to_string()));
            let _ = tx.send(Event::Graded(Box::new(result)));
        });
    }

    fn graded(&mut self, result: Result<ExerciseReport, String>) {
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
        if std::mem::take(&mut self.pending)
            && std::fs::read(self.file()).ok() != self.graded_content
        {
            self.start_grade();
            return;
        }
        self.redraw();
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

    fn key(&mut self, key: Key) -> Flow {
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
            Mode::Picking(mut picker) => {
                match key {
                    Key::Char('+') => {
                        picker.hide_done = !picker.hide_done;
                        picker.page = 0;
                    }
                    Key::Char(c) | Key::Digit(c) if c.is_alphanumeric() || c == '_' => {
                        picker.typed.push(c);
                        picker.page = 0;
                    }
                    Key::Backspace => {
                        picker.typed.pop();
                    }
                    Key::Tab | Key::Next => picker.page += 1,
                    Key::Escape => {
                        self.redraw();
                        return Flow::Continue;
                    }
                    Key::Quit => return Flow::Quit(exit::OK),
                    // Enter opens the exercise; `!` (or `reset` piped) opens it and asks
                    // whether to reset it.
                    Key::Enter | Key::Reset | Key::Char('!') => match self.chosen(&picker) {
                        Ok(index) => {
                            self.jump(index);
                            if key != Key::Enter {
                                self.mode = Mode::ConfirmReset;
                                self.redraw();
                            }
                            return Flow::Continue;
                        }
                        Err(message) => {
                            self.notes.push(message);
                            picker.typed.clear();
                            self.mode = Mode::Picking(picker);
                            self.redraw();
                            self.notes.clear();
                            return Flow::Continue;
                        }
                    },
                    _ => {}
                }
                self.mode = Mode::Picking(picker);
                self.redraw();
            }
            Mode::ConfirmReset => {
                if key == Key::Yes {
                    self.reset();
                } else {
                    self.notes.push("Reset cancelled.".to_string());
                    self.redraw();
                    self.notes.clear();
                }
            }
            Mode::Normal => match key {
                Key::Quit => return Flow::Quit(exit::OK),
                Key::Next => self.next(),
                Key::Hint => self.next_hint(),
                Key::List => {
                    self.mode = Mode::Picking(Picker::default());
                    self.redraw();
                }
                Key::Regrade => self.start_grade(),
                Key::Edit => self.edit(),
                Key::Reset => {
                    self.mode = Mode::ConfirmReset;
                    self.redraw();
                }
                _ => {}
            },
        }
        Flow::Continue
    }

    /// Opens the exercise in the learner's editor; a save is graded as any other.
    fn edit(&mut self) {
        let file = self.file();
        match editor::open(&file, self.keys.as_ref()) {
            Ok(()) if self.keys.is_some() => {
                if self.grading.is_none() {
                    self.redraw();
                }
            }
            Ok(()) => self.screen.note(
                &mut std::io::stdout(),
                &format!("opened {} in the editor", self.exercise().display_path()),
            ),
            Err(message) => self.screen.note(&mut std::io::stdout(), &message),
        }
    }

    fn next(&mut self) {
        let passed = self.report.as_ref().is_some_and(ExerciseReport::passed);
        if !passed {
            self.screen.note(
                &mut std::io::stdout(),
                "n moves on once this exercise passes (h shows a hint).",
            );
            return;
        }
        let total = self.course.exercises.len();
        let next = (1..=total)
            .map(|step| (self.current + step) % total)
            .find(|&i| self.state.get(&self.course.exercises[i].name).status != Status::Done);
        match next {
            Some(i) => self.jump(i),
            None => self.redraw(),
        }
    }

    /// The exercise the list's Enter would open: the number typed, else the first listed.
    fn chosen(&self, picker: &Picker) -> Result<usize, String> {
        let total = self.course.exercises.len();
        let chosen = match picker.number() {
            Some(n) => (1..=total).contains(&n).then(|| n - 1),
            None => self.course.exercises.iter().position(|e| {
                let done = self.state.get(&e.name).status == Status::Done;
                picker.shows(&e.name, done)
            }),
        };
        chosen.ok_or_else(|| match picker.number() {
            Some(_) => format!("Pick a number from 1 to {total}."),
            None => format!("No exercise matches `{}`.", picker.typed),
        })
    }

    fn jump(&mut self, index: usize) {
        self.current = index;
        self.report = None;
        self.hint = None;
        self.graded_content = None;
        self.start_grade();
    }

    fn next_hint(&mut self) {
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
        self.redraw();
    }

    fn reset(&mut self) {
        let ex = self.exercise().clone();
        match reset::restore(&self.course, &ex) {
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
                self.start_grade();
                return;
            }
            Err(e) => self.notes.push(format!("Reset failed: {e:#}")),
        }
        self.redraw();
        self.notes.clear();
    }

    fn save_state(&mut self) {
        if let Err(e) = self.state.save() {
            self.notes.push(format!("could not save progress: {e:#}"));
        }
    }

    fn redraw(&self) {
        let ex = self.exercise();
        let done = self
            .course
            .exercises
            .iter()
            .filter(|e| self.state.get(&e.name).status == Status::Done)
            .count();
        let rows: Vec<(usize, &str, &str)> = self
            .course
            .exercises
            .iter()
            .filter(|e| match &self.mode {
                Mode::Picking(picker) => {
                    picker.shows(&e.name, self.state.get(&e.name).status == Status::Done)
                }
                _ => true,
            })
            .map(|e| {
                let status = match self.state.get(&e.name).status {
                    Status::Done => "done",
                    Status::Pending => "pending",
                    Status::NotStarted => "not started",
                };
                (e.index + 1, e.name.as_str(), status)
            })
            .collect();
        let passed = self.report.as_ref().is_some_and(ExerciseReport::passed);
        let final_message = self.course.final_message.as_deref().unwrap_or("Well done.");
        let prompt = match &self.mode {
            Mode::Picking(picker) => Prompt::Pick {
                rows,
                typed: picker.typed.as_str(),
                page: picker.page,
                hide_done: picker.hide_done,
            },
            Mode::ConfirmReset => Prompt::ConfirmReset,
            Mode::Normal if done == self.course.exercises.len() => Prompt::Finished(final_message),
            Mode::Normal => Prompt::Keys { passed },
        };
        self.screen.show(
            &mut std::io::stdout(),
            &View {
                name: &ex.name,
                path: ex.display_path(),
                link: std::path::absolute(self.file())
                    .ok()
                    .map(|f| screen::file_url(&f)),
                report: self.report.as_ref(),
                done,
                total: self.course.exercises.len(),
                hint: self
                    .hint
                    .map(|n| (n, ex.hints.len(), ex.hints[n - 1].as_str())),
                notes: &self.notes,
                prompt,
            },
        );
    }
}

/// Sends grading progress to the loop.
struct Progress {
    tx: Sender<Event>,
}

impl Observer for Progress {
    fn building(&mut self, _count: usize) {
        let _ = self.tx.send(Event::Progress("compiling…".to_string()));
    }

    fn checking(&mut self, exercise: &Exercise) {
        let _ = self
            .tx
            .send(Event::Progress(format!("checking `{}`…", exercise.name)));
    }

    fn graded(&mut self, _report: &ExerciseReport) {}
}

/// Whether an event's path is the exercise file (editors may report it through another
/// spelling of the folder, so compare the last two components).
fn same_file(event: &Path, file: &Path) -> bool {
    event.file_name() == file.file_name()
        && event.parent().and_then(Path::file_name) == file.parent().and_then(Path::file_name)
}

#[cfg(test)]
mod tests {
    use super::Picker;

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
}
