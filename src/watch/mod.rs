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
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::WatchArgs;
use crate::course::{Exercise, Tree};
use crate::exit;
use crate::outcome::ExerciseReport;
use crate::pipeline::{self, Observer};
use crate::sandbox::Job;
use crate::session::Session;
pub use event::{Event, Key};
use screen::Screen;
use state::{App, Driver, Edited, Flow};

/// How long quitting waits for a cancelled grade to end before leaving it to the exit.
const QUIT_WAIT: Duration = Duration::from_secs(1);
/// How often the end of a cancelled grade's thread is looked for.
const END_POLL: Duration = Duration::from_millis(20);

pub fn run(session: &Session, args: &WatchArgs) -> Result<u8> {
    let course = &session.course;
    // The first run builds the dependency set, with its progress bar, before the screen is
    // taken over.
    pipeline::prepare(session)?;

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
        session: session.clone(),
        tx: tx.clone(),
        keys,
        running: None,
        cancelled: Vec::new(),
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
    app.driver.finish();
    drop(raw);
    println!();
    Ok(code)
}

/// The loop's side of the state machine: grades on threads, the editor on the terminal.
struct Grader {
    session: Session,
    tx: Sender<Event>,
    /// The terminal's key reader, paused while the editor has the terminal.
    keys: Option<input::KeyReader>,
    running: Option<GradeJob>,
    /// Cancelled grades whose threads may not have ended yet.
    cancelled: Vec<GradeJob>,
}

impl Driver for Grader {
    /// Two grades never run at once (the second would wait for the stage folder's lock and
    /// say so over the screen): a new grade starts once the cancelled ones have ended.
    fn start_grade(&mut self, exercise_index: usize, generation: u64) {
        self.cancel_grade();
        let after = std::mem::take(&mut self.cancelled);
        let tx = self.tx.clone();
        self.running = Some(spawn_grade(
            &self.session,
            exercise_index,
            generation,
            tx,
            after,
        ));
    }

    fn cancel_grade(&mut self) {
        if let Some(job) = self.running.take() {
            job.cancel();
            self.cancelled.push(job);
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

impl Grader {
    /// Ends every grade before watch exits, so no check one starts outlives concur. A grade
    /// held up outside its children (waiting for another concur's lock) is left to the exit
    /// after [`QUIT_WAIT`].
    fn finish(&mut self) {
        self.cancel_grade();
        let deadline = Instant::now() + QUIT_WAIT;
        for job in self.cancelled.drain(..) {
            job.end(Some(deadline));
        }
    }
}

/// A grade running on a thread of its own, with the job its children belong to.
struct GradeJob {
    handle: JoinHandle<()>,
    /// Cancelled: its cargo and its checks are killed, and whatever it would start next dies
    /// at once; a job still waiting for an earlier one never grades.
    job: Job,
}

impl GradeJob {
    fn cancel(&self) {
        self.job.cancel();
    }

    /// Waits for a cancelled job's thread to end, until `deadline` if there is one.
    fn end(self, deadline: Option<Instant>) {
        while !self.handle.is_finished() {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return;
            }
            std::thread::sleep(END_POLL);
        }
        let _ = self.handle.join();
    }
}

/// Grades exercise `index` on a thread of its own once the cancelled grades in `after` have
/// ended; its progress and verdict go to `tx`, tagged with `generation`.
fn spawn_grade(
    session: &Session,
    index: usize,
    generation: u64,
    tx: Sender<Event>,
    after: Vec<GradeJob>,
) -> GradeJob {
    let job = Job::new();
    let options = pipeline::Options {
        job: Some(job.clone()),
        ..pipeline::Options::default()
    };
    let session = session.clone();
    let handle = std::thread::spawn(move || {
        for earlier in after {
            earlier.end(None);
        }
        if options.job.as_ref().is_some_and(Job::is_cancelled) {
            return;
        }
        let ex = &session.course.exercises[index];
        let mut observer = Progress {
            tx: tx.clone(),
            generation,
        };
        let result = pipeline::grade(
            &session,
            Tree::exercises(&session.course),
            &[ex],
            &options,
            &mut observer,
        )
        .map_err(|e| format!("{e:#}"))
        .and_then(|mut reports| reports.pop().ok_or_else(|| "no verdict".to_string()));
        let result = Box::new(result);
        let _ = tx.send(Event::Graded { generation, result });
    });
    GradeJob { handle, job }
}

/// Sends grading progress to the loop.
struct Progress {
    tx: Sender<Event>,
    generation: u64,
}

impl Progress {
    fn send(&self, text: String) {
        let generation = self.generation;
        let _ = self.tx.send(Event::Progress { generation, text });
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
