//! `concur watch` driven like a learner drives it: over pipes (editors' task runners, CI)
//! and in a pseudo-terminal (single keys, terminal restored). Deadlines are generous; the
//! speed goal lives in `scripts/bench-latency.sh`, not here.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
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
        Watch::start_with(course, extra, &[])
    }

    fn start_with(course: &Path, extra: &[&str], env: &[(&str, &Path)]) -> Watch {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("concur"))
            .arg("watch")
            .args(extra)
            .envs(env.iter().copied())
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
fn a_save_while_a_check_hangs_stops_that_grade_and_grades_the_new_file() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    // Checks may run a minute: only a cancelled grade gives a verdict sooner.
    let info = std::fs::read_to_string(dir.join("info.toml")).expect("read");
    let info = info.replacen(
        "hints = [\"double it\"",
        "timeout = \"60s\"\nhints = [\"double it\"",
        1,
    );
    std::fs::write(dir.join("info.toml"), info).expect("write");
    let file = dir.join("exercises/basics/first.rs");
    let hangs = "pub fn double(n: u32) -> u32 {\n    \
                 std::thread::sleep(std::time::Duration::from_secs(600));\n    n * 2\n}\n\
                 fn main() {}\n";
    std::fs::write(&file, hangs).expect("write");

    let mut watch = Watch::start(dir, &["--poll"]);
    watch.expect("checking `first`");
    // The hanging check is running; the learner saves a solution.
    std::thread::sleep(Duration::from_secs(2));
    let saved = Instant::now();
    std::fs::write(&file, solution(dir)).expect("write");
    watch.expect("✓ first  1/1 checks pass");
    assert!(
        saved.elapsed() < Duration::from_secs(40),
        "the hanging grade was waited for: {:?}",
        saved.elapsed()
    );
    let output = watch.output.lock().expect("lock").clone();
    assert!(
        !output.contains("timed out") && !output.contains("✗ first"),
        "the cancelled grade showed a verdict:\n{output}"
    );
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

/// The watch fixture in a git repository of its own (reset restores from git), with
/// `second` solved: (course, path of `second`, its starting text).
fn committed_course_with_second_solved() -> (tempfile::TempDir, PathBuf, String) {
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
    (course, second, starting)
}

#[test]
fn list_jumps_to_an_exercise_and_reset_restores_the_file_with_a_backup() {
    let _serial = grading_lock();
    let (course, second, starting) = committed_course_with_second_solved();
    let mut watch = Watch::start(course.path(), &["--manual"]);
    watch.expect("✗ first  0/1 checks pass");
    watch.send("l");
    watch.expect("Enter jumps there");
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

#[test]
fn the_list_resets_the_exercise_found_by_name_after_asking() {
    let _serial = grading_lock();
    let (course, second, starting) = committed_course_with_second_solved();
    let dir = course.path();
    let solved = std::fs::read_to_string(&second).expect("read");
    let script = dir.join("session.sh");
    std::fs::write(
        &script,
        format!(
            "stty cols 80 rows 24; cd '{}' && NO_COLOR=1 CONCUR_TARGET_DIR='{}' exec '{}' watch",
            dir.display(),
            exercise_target_dir().display(),
            assert_cmd::cargo::cargo_bin("concur").display()
        ),
    )
    .expect("script");
    let mut session =
        rexpect::spawn(&format!("bash {}", script.display()), Some(120_000)).expect("pty session");
    let mut seen = String::new();
    wait(&mut session, &mut seen, "q quit");
    press(&mut session, "l");
    wait(&mut session, &mut seen, "! resets it");
    // Letters are searched for, so `x` cannot mean reset here; `!` does.
    press(&mut session, "sec");
    wait(&mut session, &mut seen, "there: sec");
    press(&mut session, "!");
    wait(&mut session, &mut seen, "[y/N]");
    assert!(
        last_screen(&seen).contains("second.rs"),
        "asks about the exercise found:\n{}",
        last_screen(&seen)
    );
    // Anything but y keeps the file.
    press(&mut session, "n");
    wait(&mut session, &mut seen, "Reset cancelled.");
    assert_eq!(std::fs::read_to_string(&second).expect("read"), solved);
    press(&mut session, "l");
    wait(&mut session, &mut seen, "! resets it");
    press(&mut session, "2!");
    wait(&mut session, &mut seen, "[y/N]");
    press(&mut session, "y");
    wait(&mut session, &mut seen, "Restored the starting file.");
    assert_eq!(std::fs::read_to_string(&second).expect("read"), starting);
    press(&mut session, "q");
    session.exp_eof().expect("watch exits");
}

/// The watch fixture grown to 40 exercises, with a long failure message and a long hint on
/// the first: what a real course puts on a small screen.
fn crowded_course() -> tempfile::TempDir {
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    let checks = dir.join("tests/hidden/basics/first.rs");
    let text = std::fs::read_to_string(&checks).expect("read");
    std::fs::write(
        &checks,
        text.replace("\"double(21) should be 42\"", &format!("{LONG_MESSAGE:?}")),
    )
    .expect("write");
    let info = dir.join("info.toml");
    let mut text = std::fs::read_to_string(&info)
        .expect("read")
        .replace("\"double it\"", &format!("{LONG_HINT:?}"));
    for n in 3..=40 {
        let name = format!("exercise_number_{n:02}");
        text.push_str(&format!(
            "\n[[exercises]]\nname = \"{name}\"\ndir = \"basics\"\nhints = [\"x\"]\n"
        ));
        for folder in ["exercises", "solutions", "tests/hidden"] {
            let from = dir.join(folder).join("basics/second.rs");
            std::fs::copy(from, dir.join(folder).join(format!("basics/{name}.rs"))).expect("cp");
        }
    }
    std::fs::write(&info, text).expect("write");
    course
}

const LONG_MESSAGE: &str = "double(21) should be 42, but it returned something else: read the \
    comment above the function again, and remember that doubling a number means multiplying \
    it by two, which is not the same as adding one to it";
const LONG_HINT: &str = "multiply the argument by two and return the product; the function \
    takes a u32 and gives back a u32, so no conversion is needed anywhere in it";

/// Text as a terminal shows it: escape sequences gone, one entry per line. (rexpect hands
/// each byte over as a char; they are put back together first.)
fn screen_lines(raw: &str) -> Vec<String> {
    let bytes: Vec<u8> = raw.chars().map(|c| c as u32 as u8).collect();
    // Cursor home (after a clear) starts a new line too.
    let text = String::from_utf8_lossy(&bytes).replace("\x1b[H", "\n");
    let plain = anstream::adapter::strip_str(&text).to_string();
    plain
        .split('\n')
        .map(|l| {
            l.trim_end_matches('\r')
                .rsplit('\r')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// What was drawn since the last clear of the screen.
fn last_screen(raw: &str) -> String {
    let screen = raw.rsplit("\x1b[2J").next().unwrap_or(raw);
    screen
        .strip_prefix("\x1b[3J\x1b[H")
        .unwrap_or(screen)
        .to_string()
}

/// Types `keys` into the pty (rexpect buffers what is sent until a flush).
fn press(session: &mut rexpect::session::PtySession, keys: &str) {
    session.send(keys).expect("send keys");
    session.flush().expect("flush");
}

/// Waits for `text` in the pty, keeping everything read so far in `seen`.
fn wait(session: &mut rexpect::session::PtySession, seen: &mut String, text: &str) {
    let before = session
        .exp_string(text)
        .unwrap_or_else(|e| panic!("`{text}` did not appear ({e}) after:\n{seen}"));
    seen.push_str(&before);
    seen.push_str(text);
}

fn set_size(session: &rexpect::session::PtySession, columns: u16, rows: u16) {
    use std::os::fd::AsRawFd;
    let pty = session.process().get_file_handle().expect("pty");
    let size = libc::winsize {
        ws_row: rows,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads one winsize from the pointer, which outlives the call.
    let done = unsafe { libc::ioctl(pty.as_raw_fd(), libc::TIOCSWINSZ, &size) };
    assert_eq!(done, 0, "resizing the pty");
}

#[test]
fn watch_fits_80_by_24_and_60_by_20_and_redraws_on_resize() {
    let _serial = grading_lock();
    let course = crowded_course();
    let dir = course.path();
    for (columns, rows) in [(80usize, 24usize), (60, 20)] {
        let script = dir.join("session.sh");
        std::fs::write(
            &script,
            format!(
                "stty cols {columns} rows {rows}; cd '{}' && NO_COLOR=1 CONCUR_TARGET_DIR='{}' exec '{}' watch",
                dir.display(),
                exercise_target_dir().display(),
                assert_cmd::cargo::cargo_bin("concur").display()
            ),
        )
        .expect("script");
        let mut session = rexpect::spawn(&format!("bash {}", script.display()), Some(120_000))
            .expect("pty session");
        let mut seen = String::new();

        wait(&mut session, &mut seen, "q quit");
        press(&mut session, "h");
        wait(&mut session, &mut seen, "q quit");

        let lines = screen_lines(&seen);
        let wide: Vec<&String> = lines
            .iter()
            .filter(|l| l.chars().count() > columns)
            .collect();
        assert!(
            wide.is_empty(),
            "{columns}x{rows}: lines wider than the terminal: {wide:#?}"
        );
        // Wrapped between words: each text reads whole once the line breaks are undone.
        let flowing = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        for text in [LONG_MESSAGE, LONG_HINT] {
            assert!(
                flowing.contains(text),
                "{columns}x{rows}: `{text}` is cut:\n{}",
                lines.join("\n")
            );
        }

        // The list fits the screen, header and prompt included; a small one pages.
        press(&mut session, "l");
        wait(&mut session, &mut seen, "Enter jumps there");
        let list = screen_lines(&last_screen(&seen));
        assert!(
            list.len() <= rows,
            "{columns}x{rows}: the list has {} lines:\n{}",
            list.len(),
            list.join("\n")
        );
        assert!(list[0].starts_with("Exercises"), "{}", list.join("\n"));
        if rows < 24 {
            assert!(list.join("\n").contains("page 1 of"), "{}", list.join("\n"));
            press(&mut session, "\t");
            wait(&mut session, &mut seen, "Enter jumps there");
            assert!(
                last_screen(&seen).contains("exercise_number_40"),
                "{}",
                last_screen(&seen)
            );
        } else {
            assert!(
                list.join("\n").contains("exercise_number_40"),
                "{}",
                list.join("\n")
            );
        }
        press(&mut session, "\x1b");
        wait(&mut session, &mut seen, "q quit");

        // Narrower still: the next screen is drawn for the new size without a key.
        set_size(&session, 50, rows as u16);
        wait(&mut session, &mut seen, "q quit");
        let resized = screen_lines(&last_screen(&seen));
        assert!(
            resized.iter().all(|l| l.chars().count() <= 50),
            "not redrawn for 50 columns:\n{}",
            resized.join("\n")
        );
        // The list searches what is typed: part of a name, then Enter, jumps there.
        press(&mut session, "l");
        wait(&mut session, &mut seen, "Enter jumps there");
        press(&mut session, "r_40");
        wait(&mut session, &mut seen, "there: r_40");
        let found = screen_lines(&last_screen(&seen));
        let listed: Vec<&String> = found
            .iter()
            .filter(|l| l.contains("exercise_number"))
            .collect();
        assert_eq!(
            listed.len(),
            1,
            "the search keeps one name:\n{}",
            found.join("\n")
        );
        press(&mut session, "\r");
        wait(&mut session, &mut seen, "exercise_number_40.rs");
        press(&mut session, "q");
        session.exp_eof().expect("watch exits");
    }
}

#[test]
fn an_unknown_command_over_a_pipe_says_which_commands_there_are() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let mut watch = Watch::start(course.path(), &["--manual"]);
    watch.expect("✗ first  0/1 checks pass");
    watch.send("bogus");
    watch.expect("`bogus` is not a command here: n next");
    watch.send("q");
    assert_eq!(watch.wait_exit(), 0);
}

#[test]
fn e_opens_the_exercise_in_the_learners_editor_with_the_terminal_to_itself() {
    let _serial = grading_lock();
    let course = copy_course(&fixture("watch"));
    let dir = course.path();
    // An "editor" that reads a line from the terminal and saves the solution only if it got
    // the whole line: had concur kept reading keys, `n`, `h` and `q` would have gone to it.
    let editor = dir.join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "read -r typed; [ \"$typed\" = nhq ] && cp '{}' \"$1\"",
            dir.join("solutions/basics/first.rs").display()
        ),
    )
    .expect("editor");
    let script = dir.join("session.sh");
    std::fs::write(
        &script,
        format!(
            "cd '{}' && NO_COLOR=1 EDITOR='sh {}' CONCUR_TARGET_DIR='{}' exec '{}' watch",
            dir.display(),
            editor.display(),
            exercise_target_dir().display(),
            assert_cmd::cargo::cargo_bin("concur").display()
        ),
    )
    .expect("script");
    let mut session =
        rexpect::spawn(&format!("bash {}", script.display()), Some(120_000)).expect("pty session");
    session
        .exp_string("first  0/1 checks pass")
        .expect("first verdict");
    session.exp_string("q quit").expect("keys");
    press(&mut session, "e");
    std::thread::sleep(Duration::from_millis(500));
    press(&mut session, "nhq\r");
    session
        .exp_string("first  1/1 checks pass")
        .expect("the editor's save is graded");
    press(&mut session, "q");
    session.exp_eof().expect("watch exits");

    // Over a pipe there is no terminal to hand over: the editor is started and left to run.
    std::fs::write(
        &editor,
        format!(
            "cp '{}' \"$1\"",
            dir.join("solutions/basics/second.rs").display()
        ),
    )
    .expect("editor");
    let run_editor = dir.join("run-editor.sh");
    std::fs::write(
        &run_editor,
        format!("#!/bin/sh\nexec sh '{}' \"$@\"\n", editor.display()),
    )
    .expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&run_editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut watch = Watch::start_with(dir, &[], &[("EDITOR", &run_editor)]);
    watch.expect("✗ second  0/1 checks pass");
    watch.send("e");
    watch.expect("✓ second  1/1 checks pass");
    watch.send("q");
    assert_eq!(watch.wait_exit(), 0);
}
