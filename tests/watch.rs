//! `concur watch` driven like a learner drives it: over pipes (editors' task runners, CI)
//! and in a pseudo-terminal (single keys, terminal restored). Deadlines are generous; the
//! speed goal lives in `scripts/bench-latency.sh`, not here.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// Time allowed for one verdict to appear (a cold exercise build included).
const VERDICT: Duration = Duration::from_secs(120);

struct Watch {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Arc<Mutex<String>>,
    /// How much of the output earlier waits consumed.
    seen: usize,
}

impl Watch {
    fn start(course: &Path, extra: &[&str]) -> Watch {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("concur"))
            .arg("watch")
            .args(extra)
            .current_dir(course)
            .env("NO_COLOR", "1")
            .env("CONCUR_TARGET_DIR", exercise_target_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("concur watch starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                    output.lock().expect("output lock").push_str(&text);
                }
            });
        }
        let stdin = child.stdin.take();
        Watch {
            child,
            stdin,
            output,
            seen: 0,
        }
    }

    /// Waits until `text` appears in output not yet consumed, and consumes up to it.
    fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + VERDICT;
        loop {
            {
                let output = self.output.lock().expect("output lock");
                if let Some(at) = output[self.seen..].find(text) {
                    self.seen += at + text.len();
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "`{text}` did not appear; output after the last match:\n{}",
                &self.output.lock().expect("output lock")[self.seen..]
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write to watch");
        stdin.flush().expect("flush");
    }

    fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "watch did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn failing(course: &Path) -> String {
    std::fs::read_to_string(course.join("exercises/basics/first.rs")).expect("read")
}

fn solution(course: &Path) -> String {
    std::fs::read_to_string(course.join("solutions/basics/first.rs")).expect("read")
}

#[test]
fn watch_over_pipes_regrades_on_every_kind_of_save() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    let file = dir.join("exercises/basics/first.rs");
    let (bad, good) = (failing(dir), solution(dir));

    let mut watch = Watch::start(dir, &[]);
    watch.expect("Welcome to the watch fixture.");
    watch.expect("✗ first  0/1 checks pass");
    watch.expect("double(21) should be 42");
    watch.expect("current: exercises/basics/first.rs");

    // `n` does nothing until the exercise passes.
    watch.send("n");
    watch.expect("n moves on once this exercise passes");

    // An in-place write.
    std::fs::write(&file, &good).expect("write");
    watch.expect("✓ first  1/1 checks pass");
    watch.expect("Press n for the next exercise");

    // Back to failing, then vim's way: write a new file and rename it over the old one.
    std::fs::write(&file, &bad).expect("write");
    watch.expect("✗ first  0/1 checks pass");
    let tmp = dir.join("exercises/basics/first.rs.swp~");
    std::fs::write(&tmp, &good).expect("write tmp");
    std::fs::rename(&tmp, &file).expect("rename");
    watch.expect("✓ first  1/1 checks pass");

    // A hint, then on to the next exercise.
    watch.send("h");
    watch.expect("hint 1 of 2: double it");
    watch.send("n");
    watch.expect("✗ second  0/1 checks pass");
    watch.expect("current: exercises/basics/second.rs");

    watch.send("q");
    assert_eq!(watch.wait_exit(), 0);
    let state = std::fs::read_to_string(dir.join(".concur/state.json")).expect("state saved");
    assert!(
        state.contains("\"first\"") && state.contains("\"done\""),
        "{state}"
    );
}

#[test]
fn a_save_that_changes_nothing_is_not_regraded_and_a_save_during_a_run_is_not_lost() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    let file = dir.join("exercises/basics/first.rs");
    let (bad, good) = (failing(dir), solution(dir));

    let mut watch = Watch::start(dir, &["--poll"]);
    watch.expect("✗ first  0/1 checks pass");
    // Same content written again: no new verdict may follow.
    std::fs::write(&file, &bad).expect("write");
    std::thread::sleep(Duration::from_secs(2));
    // Truncate, then write (VS Code): one verdict for the final content.
    std::fs::write(&file, "").expect("truncate");
    std::fs::write(&file, &good).expect("write");
    watch.expect("✓ first  1/1 checks pass");
    let output = watch.output.lock().expect("lock").clone();
    assert_eq!(
        output.matches("✗ first").count(),
        1,
        "an unchanged save was graded again:\n{output}"
    );
    // A re-grade is running when the next save lands: it must still be graded afterwards.
    watch.send("r");
    watch.expect("checking `first`");
    std::fs::write(&file, &bad).expect("write");
    watch.expect("✗ first  0/1 checks pass");
    watch.send("q");
    assert_eq!(watch.wait_exit(), 0);
}

#[test]
fn manual_mode_regrades_on_r_only() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    let mut watch = Watch::start(dir, &["--manual"]);
    watch.expect("press r to re-grade");
    watch.expect("✗ first  0/1 checks pass");
    std::fs::write(dir.join("exercises/basics/first.rs"), solution(dir)).expect("write");
    std::thread::sleep(Duration::from_secs(2));
    assert!(!watch.output.lock().expect("lock").contains("✓ first"));
    watch.send("r");
    watch.expect("✓ first  1/1 checks pass");
    watch.send("q");
    assert_eq!(watch.wait_exit(), 0);
}

#[test]
fn watch_in_a_terminal_takes_single_keys_and_restores_the_terminal() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    std::fs::write(dir.join("exercises/basics/first.rs"), solution(dir)).expect("write");

    let script = dir.join("session.sh");
    // Run watch in the pty, then print the terminal's mode once it has exited.
    std::fs::write(
        &script,
        format!(
            "cd '{}' && NO_COLOR=1 CONCUR_TARGET_DIR='{}' '{}' watch; echo \"exit=$?\"; stty -a | grep -o -- '-\\?icanon' | head -1",
            dir.display(),
            exercise_target_dir().display(),
            assert_cmd::cargo::cargo_bin("concur").display()
        ),
    )
    .expect("script");
    let mut session =
        rexpect::spawn(&format!("bash {}", script.display()), Some(120_000)).expect("pty session");
    session
        .exp_string("first  1/1 checks pass")
        .expect("first verdict");
    // A single key, no Enter.
    session.send("n").expect("send n");
    session.flush().expect("flush");
    session
        .exp_string("second  0/1 checks pass")
        .expect("moved on with one key");
    session.send("q").expect("send q");
    session.flush().expect("flush");
    session.exp_string("exit=0").expect("watch exited 0");
    // Raw mode is off again: the terminal is canonical ("icanon", not "-icanon").
    let mode = session.exp_regex("-?icanon").expect("terminal mode").1;
    assert_eq!(mode, "icanon", "the terminal was left in raw mode");
}

#[test]
fn list_jumps_to_an_exercise_and_reset_restores_the_file_with_a_backup() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "{out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "course"]);
    let second = dir.join("exercises/basics/second.rs");
    let starting = std::fs::read_to_string(&second).expect("read");
    std::fs::write(&second, starting.replace("    n\n", "    n + 1\n")).expect("write");

    let mut watch = Watch::start(dir, &["--manual"]);
    watch.expect("✗ first  0/1 checks pass");
    watch.send("l");
    watch.expect("Type a number");
    watch.send("2");
    watch.expect("✓ second  1/1 checks pass");
    watch.send("x");
    watch.expect("[y/N]");
    watch.send("y");
    watch.expect("Restored the starting file. Your version is saved in .concur/backup/second-");
    watch.expect("✗ second  0/1 checks pass");
    assert_eq!(std::fs::read_to_string(&second).expect("read"), starting);
    watch.send("q");
    assert_eq!(watch.wait_exit(), 0);
}
