//! Integration tests of `concur::sandbox` against real programs (sh, sleep, yes, cat,
//! python3). Each test checks the outcome, that it arrived within the wall limit + 2 s, and
//! that no process of the program's group is left afterwards.
//!
//! The Ctrl-C and live-echo tests re-run this test binary as a child (selected with
//! `CHILD_MODE`), because both act on the process's own stdout or signals.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use concur::sandbox::{self, Echo, Exit, Limits, RunReport};
use nix::errno::Errno;
use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag};
use nix::unistd::Pid;

/// Slack on top of the wall limit for a loaded 2-core machine.
const SLACK: Duration = Duration::from_secs(2);
const CHILD_MODE: &str = "CONCUR_SANDBOX_TEST_CHILD";
const CHILD_PIDFILE: &str = "CONCUR_SANDBOX_TEST_PIDFILE";

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(script);
    cmd
}

fn limits_with_wall(wall: Duration) -> Limits {
    Limits {
        wall,
        ..Limits::default()
    }
}

/// Runs `cmd`, asserting the common guarantees, and returns the report.
fn run_checked(cmd: Command, limits: &Limits) -> RunReport {
    let started = Instant::now();
    let report = sandbox::run(cmd, limits, Echo::Quiet).expect("the sandbox can spawn sh");
    let elapsed = started.elapsed();
    assert!(
        elapsed < limits.wall + SLACK,
        "run took {elapsed:?} with a wall limit of {:?}",
        limits.wall
    );
    assert_group_gone(report.pgid);
    report
}

fn assert_group_gone(pgid: i32) {
    assert_eq!(
        kill(Pid::from_raw(-pgid), None),
        Err(Errno::ESRCH),
        "a process of group {pgid} is still there"
    );
}

fn assert_pid_gone(pid: i32) {
    assert_eq!(
        kill(Pid::from_raw(pid), None),
        Err(Errno::ESRCH),
        "process {pid} survived"
    );
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn exit_codes_and_output_are_reported() {
    let ok = run_checked(sh("echo out; echo err >&2"), &Limits::default());
    assert_eq!(ok.exit, Exit::Code(0));
    assert_eq!(text(&ok.stdout), "out\n");
    assert_eq!(text(&ok.stderr), "err\n");
    assert!(!ok.timed_out && !ok.output_exceeded && !ok.interrupted);
    assert_eq!(ok.leaked, 0);

    let three = run_checked(sh("exit 3"), &Limits::default());
    assert_eq!(three.exit, Exit::Code(3));
}

#[test]
fn death_by_signal_is_reported() {
    let report = run_checked(sh("kill -SEGV $$"), &Limits::default());
    assert_eq!(report.exit, Exit::Signal(libc::SIGSEGV));
}

#[test]
fn idle_program_times_out_with_little_cpu() {
    let limits = limits_with_wall(Duration::from_secs(1));
    let mut cmd = Command::new("sleep");
    cmd.arg("100");
    let report = run_checked(cmd, &limits);
    assert!(report.timed_out);
    // sleep dies of the SIGTERM within the grace period.
    assert_eq!(report.exit, Exit::Signal(libc::SIGTERM));
    assert!(report.wall >= limits.wall, "{:?}", report.wall);
    assert!(report.cpu < Duration::from_millis(200), "{:?}", report.cpu);
}

#[test]
fn busy_program_times_out_with_cpu_spent() {
    // A busy loop and its CPU time: wall 2 s so that even with the other tests competing
    // for 2 cores, it gets well over the 0.5 s asserted below.
    let limits = limits_with_wall(Duration::from_secs(2));
    let report = run_checked(sh("while :; do :; done"), &limits);
    assert!(report.timed_out);
    assert!(report.cpu > Duration::from_millis(500), "{:?}", report.cpu);
}

#[test]
fn term_ignoring_program_is_killed_after_grace() {
    let limits = Limits {
        wall: Duration::from_millis(500),
        grace: Duration::from_millis(200),
        ..Limits::default()
    };
    let report = run_checked(sh("trap '' TERM; while :; do sleep 1; done"), &limits);
    assert!(report.timed_out);
    assert_eq!(report.exit, Exit::Signal(libc::SIGKILL));
}

#[test]
fn output_flood_is_cut_at_the_cap() {
    let limits = Limits {
        output_bytes: 256 * 1024,
        ..Limits::default()
    };
    let started = Instant::now();
    let report = run_checked(Command::new("yes"), &limits);
    assert!(report.output_exceeded);
    assert!(!report.timed_out);
    assert_eq!(report.exit, Exit::Signal(libc::SIGKILL));
    assert!(report.stdout.len() + report.stderr.len() <= limits.output_bytes);
    // What fit is kept: the cap is filled, not dropped.
    assert_eq!(report.stdout.len(), limits.output_bytes);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn output_exactly_at_the_cap_is_not_a_flood() {
    let limits = Limits {
        output_bytes: 10,
        ..Limits::default()
    };
    let report = run_checked(sh("printf 0123456789"), &limits);
    assert_eq!(report.exit, Exit::Code(0));
    assert!(!report.output_exceeded);
    assert_eq!(text(&report.stdout), "0123456789");
}

#[test]
fn background_child_is_counted_as_leaked_and_killed() {
    // The sleep keeps the output pipes open: this also checks the readers do not hang.
    let report = run_checked(sh("sleep 1000 & echo $!; exit 0"), &Limits::default());
    assert_eq!(report.exit, Exit::Code(0));
    assert_eq!(report.leaked, 1);
    let sleep_pid: i32 = text(&report.stdout)
        .trim()
        .parse()
        .expect("sh printed a pid");
    assert_pid_gone(sleep_pid);
}

#[test]
fn a_hundred_background_children_are_all_killed() {
    let script = "for i in $(seq 100); do sleep 1000 & done; exit 0";
    let report = run_checked(sh(script), &Limits::default());
    assert_eq!(report.leaked, 100);
}

#[test]
fn allocation_over_the_memory_limit_fails() {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", "b = bytearray(4 << 30); print('allocated')"]);
    let report = run_checked(cmd, &Limits::default());
    assert_ne!(report.exit, Exit::Code(0));
    assert!(!text(&report.stdout).contains("allocated"));
    assert!(
        text(&report.stderr).contains("MemoryError"),
        "{}",
        text(&report.stderr)
    );
}

#[test]
fn writing_past_the_file_size_limit_fails() {
    let dir = tempfile::tempdir().expect("a temp dir can be created");
    let file = dir.path().join("big");
    let limits = Limits {
        file_size_bytes: 1 << 20,
        ..Limits::default()
    };
    let script = format!("head -c 104857600 /dev/zero > '{}'", file.display());
    let report = run_checked(sh(&script), &limits);
    // SIGXFSZ kills head; a shell that outlives it reports 128 + 25 instead.
    assert!(
        matches!(report.exit, Exit::Signal(libc::SIGXFSZ) | Exit::Code(1..)),
        "{:?}",
        report.exit
    );
    assert!(file_len(&file) <= 1 << 20);
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn stdin_is_closed() {
    let report = run_checked(
        Command::new("cat"),
        &limits_with_wall(Duration::from_secs(5)),
    );
    assert_eq!(report.exit, Exit::Code(0));
    assert!(report.stdout.is_empty());
    assert!(report.wall < Duration::from_secs(2), "{:?}", report.wall);
}

#[test]
fn environment_is_prepared() {
    let mut cmd =
        sh(r#"printf '%s|%s|%s|%s' "$NO_PROXY" "$no_proxy" "$RUST_BACKTRACE" "$MALLOC_ARENA_MAX""#);
    cmd.env("NO_PROXY", "example.com").env_remove("no_proxy");
    let report = run_checked(cmd, &Limits::default());
    assert_eq!(
        text(&report.stdout),
        "example.com,127.0.0.1,localhost,::1|127.0.0.1,localhost,::1|0|2"
    );

    let mut cmd = sh("printf %s \"$RUST_BACKTRACE\"");
    cmd.env("RUST_BACKTRACE", "1");
    let report = run_checked(cmd, &Limits::default());
    assert_eq!(
        text(&report.stdout),
        "1",
        "the caller's RUST_BACKTRACE wins"
    );
}

#[test]
fn core_dumps_are_disabled() {
    let report = run_checked(sh("ulimit -c"), &Limits::default());
    assert_eq!(text(&report.stdout).trim(), "0");
}

#[test]
fn spawn_failure_is_an_error() {
    let err = sandbox::run(
        Command::new("/nonexistent/program"),
        &Limits::default(),
        Echo::Quiet,
    )
    .expect_err("there is nothing to run");
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn tracked_child_group_dies_on_drop() {
    let mut cmd = sh("sleep 1000 & sleep 1000");
    cmd.stdout(std::process::Stdio::null());
    let child = sandbox::spawn_tracked(cmd, &sandbox::Spawn::default()).expect("sh can be spawned");
    let pgid = child.pgid();
    assert_eq!(kill(Pid::from_raw(-pgid), None), Ok(()));
    drop(child);
    assert_group_gone(pgid);
}

#[test]
fn tracked_child_wait_reports_status_and_cleans_group() {
    let mut child = sandbox::spawn_tracked(sh("sleep 1000 & exit 4"), &sandbox::Spawn::default())
        .expect("sh can be spawned");
    let status = child.wait().expect("the child can be waited for");
    assert_eq!(status.code(), Some(4));
    assert_group_gone(child.pgid());
}

#[test]
fn cancelling_a_job_kills_its_runs_and_its_helpers_and_nothing_else() {
    let job = sandbox::Job::new();
    let other = sandbox::spawn_tracked(sh("sleep 1000"), &sandbox::Spawn::default())
        .expect("sh can be spawned");
    let mut helper = sandbox::spawn_tracked(
        sh("sleep 1000"),
        &sandbox::Spawn {
            job: Some(job.clone()),
            ..sandbox::Spawn::default()
        },
    )
    .expect("sh can be spawned");
    let run = {
        let job = job.clone();
        std::thread::spawn(move || {
            let options = sandbox::Options {
                limits: limits_with_wall(Duration::from_secs(60)),
                job: Some(job),
                ..sandbox::Options::default()
            };
            sandbox::run_with(sh("sleep 1000"), options).expect("the sandbox can spawn sh")
        })
    };
    // Both children are running before the job is cancelled.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    job.cancel();
    let report = run.join().expect("the run ends");
    assert_eq!(
        report.exit,
        Exit::Signal(Signal::SIGKILL as i32),
        "{report:?}"
    );
    assert!(!report.timed_out && started.elapsed() < SLACK);
    let status = helper.wait().expect("the helper can be waited for");
    assert_eq!(status.code(), None, "the helper was killed: {status:?}");
    // A child started in a cancelled job dies at once; one outside it lives on.
    let late = sandbox::run_with(
        sh("sleep 1000"),
        sandbox::Options {
            limits: limits_with_wall(Duration::from_secs(60)),
            job: Some(job),
            ..sandbox::Options::default()
        },
    )
    .expect("the sandbox can spawn sh");
    assert_eq!(late.exit, Exit::Signal(Signal::SIGKILL as i32));
    assert_eq!(
        kill(Pid::from_raw(-other.pgid()), None),
        Ok(()),
        "outside the job"
    );
    let pgid = other.pgid();
    drop(other);
    assert_group_gone(pgid);
}

/// Re-runs this test binary with only `test_name`, in child mode `mode`.
fn run_self(test_name: &str, mode: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary has a path"));
    cmd.args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_MODE, mode);
    cmd
}

fn child_mode() -> Option<String> {
    std::env::var(CHILD_MODE).ok()
}

#[test]
fn live_echo_copies_output_to_concur() {
    let output = run_self("child_echo_live", "echo")
        .output()
        .expect("the test binary can re-run itself");
    assert!(output.status.success(), "{output:?}");
    assert!(text(&output.stdout).contains("live-out\n"), "{output:?}");
    assert!(text(&output.stderr).contains("live-err\n"), "{output:?}");
}

/// Child half of `live_echo_copies_output_to_concur`; does nothing in a normal run.
#[test]
fn child_echo_live() {
    if child_mode().as_deref() != Some("echo") {
        return;
    }
    let report = sandbox::run(
        sh("echo live-out; echo live-err >&2"),
        &Limits::default(),
        Echo::Live,
    )
    .expect("sh can be run");
    assert_eq!(
        text(&report.stdout),
        "live-out\n",
        "output is captured as well"
    );
}

#[test]
fn interrupt_kills_the_sandboxed_group_and_exits_130() {
    let dir = tempfile::tempdir().expect("a temp dir can be created");
    let pidfile = dir.path().join("pgid");
    let mut child = run_self("child_interrupted", "interrupt")
        .env(CHILD_PIDFILE, &pidfile)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the test binary can re-run itself");
    let deadline = Instant::now() + Duration::from_secs(10);
    let pgid: i32 = loop {
        if let Some(pgid) = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            break pgid;
        }
        assert!(Instant::now() < deadline, "the sandboxed sh never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    let child_pid = Pid::from_raw(i32::try_from(child.id()).expect("pids fit in i32"));
    kill(child_pid, Signal::SIGINT).expect("the child test process is alive");
    let status = child
        .wait()
        .expect("the child test process can be waited for");
    assert_eq!(status.code(), Some(130));
    // The killed sh may be re-parented to this process (a subreaper once it ran a sandbox),
    // so reap it here; what matters is that nothing of the group is still running.
    let deadline = Instant::now() + SLACK;
    while kill(Pid::from_raw(-pgid), None) != Err(Errno::ESRCH) {
        let _ = waitpid(Pid::from_raw(-pgid), Some(WaitPidFlag::WNOHANG));
        assert!(
            Instant::now() < deadline,
            "group {pgid} survived the interrupt"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Child half of `interrupt_kills_the_sandboxed_group_and_exits_130`.
#[test]
fn child_interrupted() {
    if child_mode().as_deref() != Some("interrupt") {
        return;
    }
    sandbox::install_interrupt_handler();
    let pidfile = std::env::var(CHILD_PIDFILE).expect("the parent sets the pid file");
    let script = format!("echo $$ > '{pidfile}.tmp'; mv '{pidfile}.tmp' '{pidfile}'; sleep 100");
    let _ = sandbox::run(
        sh(&script),
        &limits_with_wall(Duration::from_secs(20)),
        Echo::Quiet,
    );
    panic!("the interrupt should have ended this process");
}

/// A jail around a fresh scratch folder, hiding `hidden`.
fn jailed(script: &str, scratch: &Path, hidden: Vec<std::path::PathBuf>) -> RunReport {
    let options = sandbox::Options {
        limits: Limits::default(),
        jail: Some(sandbox::Jail {
            scratch: scratch.to_path_buf(),
            programs: Vec::new(),
            hidden,
            shared_network: false,
        }),
        ..sandbox::Options::default()
    };
    let started = Instant::now();
    let report = sandbox::run_with(sh(script), options).expect("the sandbox can spawn sh");
    assert!(started.elapsed() < Limits::default().wall + SLACK);
    assert_group_gone(report.pgid);
    report
}

#[test]
fn a_process_that_leaves_its_session_is_still_killed_and_reported() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let report = jailed(
        "setsid sleep 1000 & echo $!; exit 0",
        scratch.path(),
        Vec::new(),
    );
    assert_eq!(report.exit, Exit::Code(0));
    assert_eq!(report.leaked, 1, "{report:?}");
    let pid: i32 = text(&report.stdout)
        .trim()
        .parse()
        .expect("sh printed a pid");
    assert_pid_gone(pid);
}

#[test]
fn a_double_forked_process_in_its_own_session_never_acts_after_the_run() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let late = scratch.path().join("late");
    let script = format!(
        "(setsid sh -c 'sleep 1; echo late > {}' &) ; exit 0",
        late.display()
    );
    let report = jailed(&script, scratch.path(), Vec::new());
    assert!(report.leaked >= 1, "{report:?}");
    std::thread::sleep(Duration::from_secs(2));
    assert!(!late.exists(), "a process wrote after its run had ended");
}

#[test]
fn a_jail_hides_folders_and_takes_writes_only_in_its_scratch_folder() {
    let layers = sandbox::layers();
    if !layers.files.in_force() {
        eprintln!(
            "no Landlock here ({:?}); `concur doctor` says so",
            layers.files
        );
        return;
    }
    let scratch = tempfile::tempdir().expect("tempdir");
    let secret_dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(secret_dir.path().join("answers"), "42").expect("write");
    let open_dir = tempfile::tempdir().expect("tempdir");
    let script = format!(
        "cat {hidden}/answers && echo read-hidden; \
         echo x > {open}/planted && echo wrote-outside; \
         cat /etc/hostname >/dev/null && echo read-system; \
         echo x > ./mine && cat ./mine >/dev/null && echo wrote-scratch; \
         test \"$HOME\" = \"$PWD\" && test \"$TMPDIR\" = \"$PWD\" && echo home-is-scratch",
        hidden = secret_dir.path().display(),
        open = open_dir.path().display(),
    );
    let report = jailed(
        &script,
        scratch.path(),
        vec![secret_dir.path().to_path_buf()],
    );
    let out = text(&report.stdout);
    assert!(!out.contains("read-hidden"), "{out}");
    assert!(!out.contains("wrote-outside"), "{out}");
    assert!(!open_dir.path().join("planted").exists());
    for allowed in ["read-system", "wrote-scratch", "home-is-scratch"] {
        assert!(
            out.contains(allowed),
            "{allowed} missing: {out}\n{}",
            text(&report.stderr)
        );
    }
}

#[test]
fn a_jail_sees_only_loopback_and_loopback_works() {
    if !sandbox::layers().network.in_force() {
        eprintln!("no network namespace here; `concur doctor` says why");
        return;
    }
    let scratch = tempfile::tempdir().expect("tempdir");
    let script = "cat /proc/net/dev; python3 -c \"import socket; s=socket.socket(); \
                  s.bind(('127.0.0.1', 0)); s.listen(); c=socket.create_connection(s.getsockname()); \
                  print('loopback-ok')\"";
    let report = jailed(script, scratch.path(), Vec::new());
    let out = text(&report.stdout);
    let interfaces: Vec<&str> = out
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.starts_with("loopback"))
        .collect();
    assert_eq!(interfaces, ["lo"], "{out}");
    assert!(
        out.contains("loopback-ok"),
        "{out}\n{}",
        text(&report.stderr)
    );
}

#[test]
fn runs_side_by_side_never_sweep_each_other() {
    // Eight threads start short jailed runs back to back, as the checks of a shared pool do:
    // a run that ends must never take another's freshly started process for its own orphan.
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..100 {
                    let scratch = tempfile::tempdir().expect("tempdir");
                    let report = jailed("exit 0", scratch.path(), Vec::new());
                    if report.exit != Exit::Code(0) || report.leaked != 0 {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{:?}, {} left running", report.exit, report.leaked));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "runs disturbed each other: {failures:?}"
    );
}

#[test]
fn a_run_that_leaves_processes_takes_none_of_its_neighbours_workers() {
    // Runs that leave processes behind (their sweeps kill and count them) beside runs whose
    // workers must live until waited for, as a pool's checks do: no sweep may take a
    // neighbour's worker, even once its own namespace is gone and the number made anew.
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for thread in 0..6 {
            let failures = &failures;
            scope.spawn(move || {
                for _ in 0..40 {
                    let scratch = tempfile::tempdir().expect("tempdir");
                    let (script, expected) = if thread % 2 == 0 {
                        ("setsid sleep 1000 & setsid sleep 1000 & exit 0", 2)
                    } else {
                        ("sleep 0.05 & a=$!; sleep 0.1 & b=$!; wait $a && wait $b", 0)
                    };
                    let report = jailed(script, scratch.path(), Vec::new());
                    if report.exit != Exit::Code(0) || report.leaked != expected {
                        failures.lock().unwrap().push(format!(
                            "`{script}`: {:?}, {} left running",
                            report.exit, report.leaked
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "runs disturbed each other: {failures:?}"
    );
}

#[test]
fn a_foreground_child_is_no_runs_orphan() {
    // The learner's editor: a child of concur in its own group, while checks come and go.
    let mut sleep = Command::new("sleep");
    sleep.arg("30");
    let editor = sandbox::spawn_foreground(sleep).expect("sleep can be spawned");
    let pid = Pid::from_raw(i32::try_from(editor.id()).expect("a pid"));
    let scratch = tempfile::tempdir().expect("tempdir");
    let report = jailed("exit 0", scratch.path(), Vec::new());
    assert_eq!(report.leaked, 0, "the run counted the editor as its own");
    assert_eq!(kill(pid, None), Ok(()), "a run's sweep killed the editor");
    kill(pid, Signal::SIGKILL).expect("the editor can be stopped");
    editor.wait().expect("the editor can be waited for");
}
