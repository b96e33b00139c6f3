//! The state machine driven by hand: a buffer for the screen, instants advanced by the test,
//! a driver that records what it is asked to do, and a course in a temporary folder.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::*;
use crate::exit;
use crate::outcome::{CheckOutcome, CheckResult, ExerciseOutcome};
use crate::watch::event::Key;

#[derive(Debug, PartialEq, Eq)]
enum Call {
    Start { index: usize, generation: u64 },
    Cancel,
    Edit(PathBuf),
}

/// Records the calls; opening the editor answers `edited`.
struct FakeDriver {
    calls: Vec<Call>,
    edited: Result<Edited, String>,
}

impl Driver for FakeDriver {
    fn start_grade(&mut self, exercise_index: usize, generation: u64) {
        self.calls.push(Call::Start {
            index: exercise_index,
            generation,
        });
    }

    fn cancel_grade(&mut self) {
        self.calls.push(Call::Cancel);
    }

    fn edit(&mut self, file: &Path) -> Result<Edited, String> {
        self.calls.push(Call::Edit(file.to_path_buf()));
        self.edited.clone()
    }
}

const EXERCISES: [&str; 3] = ["first", "second", "worker_pool"];
const HINTS: [&str; 2] = [
    "Look at who holds the lock.",
    "Drop the guard before sending.",
];

/// Watch on a course of three exercises, started as `run` starts it: the first exercise's
/// grade (generation 1) is running.
struct Watch {
    _dir: tempfile::TempDir,
    app: App<FakeDriver>,
    out: Vec<u8>,
    /// The fake clock: the test moves it.
    now: Instant,
}

impl Watch {
    fn start() -> Watch {
        let dir = tempfile::tempdir().expect("tempdir");
        let exercises = EXERCISES
            .iter()
            .enumerate()
            .map(|(index, name)| Exercise {
                hints: HINTS.iter().map(|h| h.to_string()).collect(),
                ..Exercise::sample(name, "d", index)
            })
            .collect();
        let course = Course {
            root: dir.path().to_path_buf(),
            home: dir.path().to_path_buf(),
            welcome_message: None,
            final_message: None,
            exercises,
        };
        std::fs::create_dir_all(dir.path().join("exercises/d")).expect("mkdir");
        for name in EXERCISES {
            let file = dir.path().join(format!("exercises/d/{name}.rs"));
            std::fs::write(file, "// TODO\n").expect("write");
        }
        let screen = Screen {
            raw: true,
            colour: false,
            size: Some((80, 24)),
        };
        let driver = FakeDriver {
            calls: Vec::new(),
            edited: Ok(Edited::Returned),
        };
        let mut watch = Watch {
            _dir: dir,
            app: App::new(course, screen, driver),
            out: Vec::new(),
            now: Instant::now(),
        };
        watch.app.start_grade(watch.now, &mut watch.out);
        assert_eq!(watch.take_calls(), [start(0, 1)]);
        watch
    }

    fn advance(&mut self, millis: u64) {
        self.now += Duration::from_millis(millis);
    }

    fn event(&mut self, event: Event) -> Flow {
        self.app.handle(event, self.now, &mut self.out)
    }

    fn tick(&mut self) {
        assert_eq!(self.app.tick(self.now, &mut self.out), Flow::Continue);
    }

    fn key(&mut self, key: Key) -> Flow {
        self.event(Event::Key(key))
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            assert_eq!(self.key(Key::Char(c)), Flow::Continue);
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self._dir.path().join(format!("exercises/d/{name}.rs"))
    }

    /// The editor writes the first exercise's file, and the watcher says so.
    fn save(&mut self, content: &str) {
        let file = self.file("first");
        std::fs::write(&file, content).expect("write");
        self.event(Event::FileChanged(file));
    }

    fn graded(&mut self, generation: u64, passed: bool) {
        let result = Box::new(Ok(report("first", passed)));
        self.event(Event::Graded { generation, result });
    }

    fn take_calls(&mut self) -> Vec<Call> {
        std::mem::take(&mut self.app.driver.calls)
    }

    /// What was drawn since the last call.
    fn take_output(&mut self) -> String {
        String::from_utf8(std::mem::take(&mut self.out)).expect("utf8")
    }
}

fn start(index: usize, generation: u64) -> Call {
    Call::Start { index, generation }
}

fn report(name: &str, passed: bool) -> ExerciseReport {
    let outcome = if passed {
        CheckOutcome::Passed
    } else {
        CheckOutcome::Failed {
            message: "expected 3 messages, got 2".into(),
        }
    };
    ExerciseReport {
        name: name.into(),
        path: format!("exercises/d/{name}.rs"),
        outcome: ExerciseOutcome::Checked {
            checks: vec![CheckResult::bare("every_message_arrives", outcome)],
        },
        duration: Duration::ZERO,
        unchanged: false,
    }
}

#[test]
fn a_save_is_graded_once_the_debounce_has_passed() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    watch.save("fn main() {}\n");
    let deadline = watch.now + DEBOUNCE;
    assert_eq!(watch.app.wake_at(watch.now), Some(deadline));
    watch.tick();
    watch.advance(79);
    watch.tick();
    assert_eq!(watch.take_calls(), [], "graded before the editor was done");
    watch.advance(1);
    watch.tick();
    assert_eq!(watch.take_calls(), [start(0, 2)]);
    watch.advance(500);
    watch.tick();
    assert_eq!(watch.take_calls(), []);
}

#[test]
fn saves_inside_the_debounce_are_graded_once() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    // Truncate, then write (VS Code), then a second save soon after.
    watch.save("");
    watch.advance(50);
    watch.save("fn main() {}\n");
    watch.advance(50);
    watch.save("fn main() { run() }\n");
    watch.advance(79);
    watch.tick();
    assert_eq!(
        watch.take_calls(),
        [],
        "a save inside the debounce was graded"
    );
    watch.advance(1);
    watch.tick();
    watch.advance(1000);
    watch.tick();
    assert_eq!(watch.take_calls(), [start(0, 2)]);
}

#[test]
fn a_save_while_grading_cancels_the_grade_and_starts_another() {
    let mut watch = Watch::start();
    watch.save("fn main() { fixed() }\n");
    watch.advance(80);
    watch.tick();
    assert_eq!(watch.take_calls(), [Call::Cancel, start(0, 2)]);
    watch.take_output();

    // The cancelled grade still reports: its progress and verdict are stale.
    let text = "compiling…".to_string();
    watch.event(Event::Progress {
        generation: 1,
        text,
    });
    watch.graded(1, false);
    let stale = watch.take_output();
    assert!(!stale.contains("compiling"), "{stale}");
    assert!(
        !stale.contains("checks pass"),
        "a stale verdict was shown: {stale}"
    );
    assert_eq!(watch.app.wake_at(watch.now), Some(watch.now + TICK));

    watch.graded(2, true);
    let shown = watch.take_output();
    assert!(shown.contains("1/1 checks pass"), "{shown}");
    assert!(shown.contains("`first` passes"), "{shown}");
    assert_eq!(
        watch.app.wake_at(watch.now),
        None,
        "a grade is still running"
    );
    assert_eq!(watch.take_calls(), []);
}

#[test]
fn a_save_that_changed_nothing_is_not_graded() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    watch.save("// TODO\n");
    watch.advance(80);
    watch.tick();
    assert_eq!(watch.take_calls(), [], "the same content was graded again");
    watch.save("// done\n");
    watch.advance(80);
    watch.tick();
    assert_eq!(watch.take_calls(), [start(0, 2)]);
}

#[test]
fn another_file_saved_is_not_graded() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    let other = watch.file("second");
    std::fs::write(&other, "// changed\n").expect("write");
    watch.event(Event::FileChanged(other));
    assert_eq!(watch.app.wake_at(watch.now), None);
    watch.advance(80);
    watch.tick();
    assert_eq!(watch.take_calls(), []);
}

#[test]
fn n_moves_on_only_after_a_pass() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    watch.take_output();
    watch.key(Key::Char('n'));
    assert!(watch
        .take_output()
        .contains("n moves on once this exercise passes"));
    assert_eq!(watch.take_calls(), []);

    watch.key(Key::Regrade);
    watch.graded(2, true);
    watch.take_output();
    watch.key(Key::Char('n'));
    assert_eq!(watch.take_calls(), [start(0, 2), start(1, 3)]);
    assert!(watch.take_output().contains("checking `second`"));
    let state = crate::state::State::load(watch._dir.path()).0;
    assert_eq!(state.get("first").status, Status::Done);
}

#[test]
fn h_shows_the_next_hint_and_remembers_it() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    watch.take_output();
    watch.key(Key::Char('h'));
    let first = watch.take_output();
    assert!(
        first.contains(&format!("hint 1 of 2: {}", HINTS[0])),
        "{first}"
    );
    watch.key(Key::Char('h'));
    let second = watch.take_output();
    assert!(
        second.contains(&format!("hint 2 of 2: {}", HINTS[1])),
        "{second}"
    );
    let state = crate::state::State::load(watch._dir.path()).0;
    assert_eq!(state.get("first").hints_shown, 2);
}

#[test]
fn q_quits_with_exit_code_0_and_cancels_the_running_grade() {
    let mut watch = Watch::start();
    assert_eq!(watch.key(Key::Char('q')), Flow::Quit(0));
    assert_eq!(watch.key(Key::Interrupt), Flow::Quit(exit::INTERRUPTED));
    watch.app.quit();
    assert_eq!(watch.take_calls(), [Call::Cancel]);
}

#[test]
fn the_list_finds_an_exercise_by_a_search() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    watch.take_output();
    watch.key(Key::Char('l'));
    assert!(watch.take_output().contains("Exercises"));
    watch.type_text("zzz");
    watch.key(Key::Enter);
    assert!(watch.take_output().contains("No exercise matches `zzz`."));
    assert_eq!(watch.take_calls(), []);

    // Letters are searched for, not read as commands: `q` does not quit here.
    watch.type_text("quit");
    let listed = watch.take_output();
    assert!(!listed.contains("worker_pool"), "{listed}");
    for _ in 0..4 {
        watch.key(Key::Backspace);
    }
    watch.type_text("pool");
    let listed = watch.take_output();
    let last = listed.rsplit("Exercises").next().expect("a list");
    assert!(last.contains("3 · worker_pool"), "{last}");
    assert!(!last.contains("second"), "{last}");
    watch.key(Key::Enter);
    assert_eq!(watch.take_calls(), [start(2, 2)]);
    assert!(watch.take_output().contains("checking `worker_pool`"));
}

#[test]
fn the_status_counts_seconds_on_the_clock() {
    let mut watch = Watch::start();
    watch.take_output();
    watch.advance(2500);
    watch.tick();
    let status = watch.take_output();
    assert!(status.contains("checking `first`… 2.5s"), "{status}");
    watch.event(Event::Progress {
        generation: 1,
        text: "compiling…".into(),
    });
    watch.advance(58_700);
    watch.tick();
    let status = watch.take_output();
    assert!(status.contains("compiling… 61.2s"), "{status}");
}

#[test]
fn e_opens_the_exercise_in_the_editor() {
    let mut watch = Watch::start();
    watch.graded(1, false);
    watch.take_output();
    watch.app.driver.edited = Ok(Edited::Started);
    watch.key(Key::Char('e'));
    assert_eq!(watch.take_calls(), [Call::Edit(watch.file("first"))]);
    assert!(watch
        .take_output()
        .contains("opened exercises/d/first.rs in the editor"));
    watch.app.driver.edited = Err("no editor is set".into());
    watch.key(Key::Char('e'));
    assert!(watch.take_output().contains("no editor is set"));
}
