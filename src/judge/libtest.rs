//! Reading what libtest leaves behind: the list of checks and panic messages.
//!
//! In: the text of `--list` output and of a check's stderr. Out: check names and the feedback
//! message. None of it is evidence of a pass — learner code shares the check's process and
//! stdout — which comes only from the check's harness (see `grade/mod.rs`).

/// Hidden checks live in this module of the generated crate.
pub const CHECK_MODULE: &str = "checks::";

/// libtest's exit status when a test failed.
pub const FAILED_EXIT: i32 = 101;

/// Check names from `--list --format terse` output ("checks::name: test").
pub fn parse_list(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter_map(|name| name.strip_prefix(CHECK_MODULE))
        .map(str::to_string)
        .collect()
}

/// Whether a pass record's check name (`<crate>::checks::<name>`, from `module_path!`) is
/// the check `check`.
pub fn names_check(recorded: &str, check: &str) -> bool {
    recorded.split_once("::").is_some_and(|(krate, rest)| {
        !krate.contains(':') && rest == format!("{CHECK_MODULE}{check}")
    })
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
    fn a_record_names_exactly_one_check() {
        assert!(names_check("pool::checks::a", "a"));
        assert!(!names_check("pool::checks::ab", "a"));
        assert!(!names_check("pool::exercise::checks::a", "a"));
        assert!(!names_check("checks::a", "a"));
    }

    #[test]
    fn the_check_threads_panic_wins_over_a_workers() {
        let stderr = "\
thread '<unnamed>' (12) panicked at exercises/x.rs:4:43:\nin a worker\nnote: run with `RUST_BACKTRACE=1`\n\
thread 'checks::overlap' (11) panicked at tests/hidden/x.rs:9:5:\nonly 1 job ran at a time\n  left: 1\nnote: x\n";
        assert_eq!(
            panic_message(stderr, "overlap").as_deref(),
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
