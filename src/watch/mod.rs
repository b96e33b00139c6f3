//! `concur watch`: re-grade the current exercise on every save.
//!
//! This module is the loop; `state.rs` is the state machine it drives. The loop sets up the
//! terminal (raw mode), the key reader and the file watcher, which all send [`Event`]s on one
//! channel, and hands each event to the state machine with the time and stdout. What the
//! state machine asks for it does through [`Grader`], the real [`Driver`]: each grade runs on
//! a thread of its own and reports back on the channel, so the loop never blocks on it.
//! While nothing happens the loop sleeps in `recv` (no polling); it wakes on a timer only to
//! animate the spinner while grading and to end a debounce.

mod editor;
mod event;
mod files;
mod input;
mod picker;
mod screen;
mod state;
mod terminal;

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Instant;

use anyhow::Result;

use crate::build;
use crate::cli::WatchArgs;
use crate::course::{Course, Exercise};
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::pipeline::{self, Observer};
use crate::stage::{Stage, Tree};
pub use event::{Event, Key};
use screen::Screen;
use state::{App, Driver, Edited, Flow};

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
    let grader = Grader {
        course: course.clone(),
        tx: tx.clone(),
        keys,
        running: None,
    };

    let mut app = App::new(course.clone(), screen, grader);
    let _watcher = if args.manual {
        app.add_note("Manual mode: files are not watched; press r to re-grade.".to_string());
        None
    } else {
        let wanted = if args.poll {
            files::Mode::Poll
        } else {
            files::Mode::Native
        };
        match files::watch(&course.exercises_dir(), wanted, tx) {
            Ok((watcher, _mode, reason)) => {
                reason.into_iter().for_each(|r| app.add_note(r));
                Some(watcher)
            }
            Err(e) => {
                app.add_note(format!(
                    "Files cannot be watched ({e}); press r to re-grade after a save."
                ));
                None
            }
        }
    };

    let mut out = std::io::stdout();
    app.start_grade(Instant::now(), &mut out);
    let code = loop {
        let event = match app.wake_at(Instant::now()) {
            Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let now = Instant::now();
        let flow = match event {
            Ok(event) => app.handle(event, now, &mut out),
            Err(RecvTimeoutError::Timeout) => app.tick(now, &mut out),
            Err(RecvTimeoutError::Disconnected) => Flow::Quit(exit::OK),
        };
        if let Flow::Quit(code) = flow {
            break code;
        }
    };
    app.quit();
    drop(raw);
    println!();
    Ok(code)
}

/// The loop's side of the state machine: grades on threads, the editor on the terminal.
struct Grader {
    course: Course,
    tx: Sender<Event>,
    /// The terminal's key reader, paused while the editor has the terminal.
    keys: Option<input::KeyReader>,
    running: Option<GradeJob>,
}

impl Driver for Grader {
    fn start_grade(&mut self, exercise_index: usize) {
        // The state machine starts a grade only once the last one has sent its verdict, so
        // its thread is ending.
        if let Some(done) = self.running.take() {
            let _ = done.handle.join();
        }
        let tx = self.tx.clone();
        self.running = Some(spawn_grade(&self.course, exercise_index, tx));
    }

    fn cancel_grade(&mut self) {
        if self.running.take().is_some() {
            crate::sandbox::kill_running();
        }
    }

    fn edit(&mut self, file: &Path) -> Result<Edited, String> {
        editor::open(file, self.keys.as_ref())?;
        Ok(if self.keys.is_some() {
            Edited::Returned
        } else {
            Edited::Started
        })
    }
}

/// A grade running on a thread of its own.
struct GradeJob {
    handle: JoinHandle<()>,
}

/// Grades exercise `index` on a thread of its own; its progress and verdict go to `tx`.
fn spawn_grade(course: &Course, index: usize, tx: Sender<Event>) -> GradeJob {
    let course = course.clone();
    let handle = std::thread::spawn(move || {
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
    GradeJob { handle }
}

/// Sends grading progress to the loop.
struct Progress {
    tx: Sender<Event>,
}

impl Progress {
    fn send(&self, text: String) {
        let _ = self.tx.send(Event::Progress(text));
    }
}

impl Observer for Progress {
    fn building(&mut self, _count: usize) {
        self.send("compiling…".to_string());
    }

    fn checking(&mut self, exercise: &Exercise) {
        self.send(format!("checking `{}`…", exercise.name));
    }

    fn graded(&mut self, _report: &ExerciseReport) {}
}
