//! Reading what libtest leaves behind: the list of checks, the log of results, panic messages.
//!
//! In: the text of `--list` output, of a `--logfile`, and of a check's stderr. Out: check
//! names, positive evidence of a pass or failure, and the feedback message. The log file is
//! the evidence because learner code shares the check's process and stdout: text printed by
//! the learner that looks like a test report proves nothing.

/// Hidden checks live in this module of the generated crate.
pub const CHECK_MODULE: &str = "checks::";

/// libtest warns on stderr that `--logfile` is deprecated; the learner need not see it.
const LOGFILE_WARNING: &str = "warning: `--logfile` is deprecated";

/// Check names from `--list --format terse` output ("checks::name: test").
pub fn parse_list(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter_map(|name| name.strip_prefix(CHECK_MODULE))
        .map(str::to_string)
        .collect()
}

/// What the log file says of `check`: `Some(true)` passed, `Some(false)` failed, `None` no
/// record (the process ended before the check did).
pub fn logged_result(log: &str, check: &str) -> Option<bool> {
    let full = format!("{CHECK_MODULE}{check}");
    log.lines().find_map(|line| match line.split_once(' ') {
        Some(("ok", name)) if name == full => Some(true),
        Some(("failed", name)) if name == full => Some(false),
        _ => None,
    })
}

/// Removes libtest's own chatter from stderr.
pub fn clean_stderr(stderr: &str) -> String {
    stderr.replacen(LOGFILE_WARNING, "", 1)
}

/// The panic message of the check's own thread, else of the last panic; `None` when nothing
/// panicked.
pub fn panic_message(stderr: &str, check: &str) -> Option<String> {
    let full = format!("{CHECK_MODULE}{check}");
    let mut found: Vec<(String, String)> = Vec::new();
    let mut lines = stderr.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("thread '") else {
            continue;
        };
        let Some((thread, tail)) = rest.split_once('\'') else {
            continue;
        };
        if !tail.contains(" panicked at ") {
            continue;
        }
        let mut message = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("note: ")
                || next.starts_with("stack backtrace:")
                || next.starts_with("thread '")
            {
                break;
            }
            message.push(*next);
            lines.next();
        }
        let text = message.join("\n").trim_end().to_string();
        found.push((thread.to_string(), text));
    }
    found
        .iter()
        .find(|(thread, _)| *thread == full || thread == "main")
        .or(found.last())
        .map(|(_, msg)| msg.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_keeps_only_checks() {
        let text =
            "checks::all_jobs: test\nchecks::overlap: test\nexercise::tests::x: test\n\n2 tests\n";
        assert_eq!(parse_list(text), vec!["all_jobs", "overlap"]);
    }

    #[test]
    fn the_log_is_the_evidence() {
        let log = "ok checks::a\nfailed checks::b\n";
        assert_eq!(logged_result(log, "a"), Some(true));
        assert_eq!(logged_result(log, "b"), Some(false));
        assert_eq!(logged_result(log, "c"), None);
        assert_eq!(logged_result("ok checks::ab\n", "a"), None);
    }

    #[test]
    fn the_check_threads_panic_wins_over_a_workers() {
        let stderr = "warning: `--logfile` is deprecated\
thread '<unnamed>' (12) panicked at exercises/x.rs:4:43:\nin a worker\nnote: run with `RUST_BACKTRACE=1`\n\
thread 'checks::overlap' (11) panicked at tests/hidden/x.rs:9:5:\nonly 1 job ran at a time\n  left: 1\nnote: x\n";
        assert_eq!(
            panic_message(&clean_stderr(stderr), "overlap").as_deref(),
            Some("only 1 job ran at a time\n  left: 1")
        );
        let only_worker = "thread '<unnamed>' (12) panicked at x.rs:4:43:\nboom\n";
        assert_eq!(
            panic_message(only_worker, "overlap").as_deref(),
            Some("boom")
        );
        assert_eq!(panic_message("all fine\n", "overlap"), None);
    }
}
