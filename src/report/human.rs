//! The human reporter: ✓/✗ per check with its feedback and time, and a summary line.
//!
//! In: exercise reports, one at a time as they finish, then the summary. Out: styled text.

use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use concur_kit::timeline::{self, Glyphs};

use crate::outcome::{CheckOutcome, CheckResult, ExerciseOutcome, ExerciseReport};

const GREEN: Style = AnsiColor::Green.on_default().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();

/// Renders outcomes for a person at a terminal.
pub struct Human {
    /// Also show what the program printed during each check.
    pub verbose: bool,
    /// How timeline pictures are drawn: blocks with colour, ASCII without.
    pub glyphs: Glyphs,
    /// The terminal's width: prose is wrapped between words to fit it and pictures are drawn
    /// no wider. `None` (a pipe, a file) leaves lines whole, pictures 80 wide.
    pub columns: Option<usize>,
}

/// The widest picture, indentation included: it fits an 80-column terminal.
const PICTURE_COLUMNS: usize = 80;
const PICTURE_INDENT: &str = "    ";
/// Narrower than this, wrapping would do more harm than good.
const MIN_COLUMNS: usize = 30;

impl Human {
    /// A reporter for stdout: ASCII pictures when colour is off (`NO_COLOR`, pipes).
    pub fn for_stdout(verbose: bool) -> Human {
        let colour =
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
        Human {
            verbose,
            glyphs: if colour {
                Glyphs::Unicode
            } else {
                Glyphs::Ascii
            },
            columns: terminal_columns(),
        }
    }

    /// The same, for a screen `columns` wide (watch mode).
    pub fn for_screen(columns: Option<usize>) -> Human {
        Human {
            columns,
            ..Human::for_stdout(false)
        }
    }

    fn picture_columns(&self) -> usize {
        self.columns
            .map_or(PICTURE_COLUMNS, |c| c.min(PICTURE_COLUMNS))
    }

    /// Writes `text` with every line indented by `indent`, prose wrapped to the width.
    fn indented(&self, out: &mut dyn Write, text: &str, indent: &str) -> io::Result<()> {
        for line in text.lines() {
            for piece in wrap(line, indent, self.columns) {
                writeln!(out, "{piece}")?;
            }
        }
        Ok(())
    }
}

/// The width of the terminal stdout is, if it is one.
fn terminal_columns() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|&c| c > 0)
}

/// `line` behind `indent`, wrapped between words to `columns` when it is prose. A line with
/// runs of spaces or no space at all (a picture, a path, code) is left whole: cutting it
/// would misdraw it.
pub fn wrap(line: &str, indent: &str, columns: Option<usize>) -> Vec<String> {
    let whole = || vec![format!("{indent}{line}")];
    let Some(columns) = columns.filter(|&c| c >= MIN_COLUMNS) else {
        return whole();
    };
    let body = line.trim_start();
    let lead = &line[..line.len() - body.len()];
    let pictured = body.contains("  ") || !body.contains(' ');
    if textwrap::core::display_width(indent) + textwrap::core::display_width(line) <= columns
        || pictured
    {
        return whole();
    }
    let first = format!("{indent}{lead}");
    let options = textwrap::Options::new(columns)
        .initial_indent(&first)
        .subsequent_indent(&first)
        .break_words(false);
    textwrap::wrap(body, options)
        .into_iter()
        .map(|piece| piece.into_owned())
        .collect()
}

impl Human {
    /// Writes one exercise's verdict.
    pub fn exercise(&self, out: &mut dyn Write, report: &ExerciseReport) -> io::Result<()> {
        let (passed, total) = report.check_counts();
        let (mark, style) = if report.passed() {
            ("✓", GREEN)
        } else {
            ("✗", RED)
        };
        let (verdict, detail) = match &report.outcome {
            ExerciseOutcome::Checked { .. } if report.not_started() => (
                "not started".to_string(),
                format!(
                    "{} is still its starting version ({passed}/{total} checks pass, for no \
                     points)",
                    report.path
                ),
            ),
            ExerciseOutcome::Checked { .. } => {
                (format!("{passed}/{total} checks pass"), report.path.clone())
            }
            ExerciseOutcome::NotStarted => (
                "not started".to_string(),
                format!("{} is still its starting version", report.path),
            ),
            ExerciseOutcome::CompileError { .. } => {
                ("does not compile".to_string(), report.path.clone())
            }
            ExerciseOutcome::NotAllowed { .. } => ("not allowed".to_string(), report.path.clone()),
            ExerciseOutcome::NotGradable { .. } => {
                ("cannot be graded".to_string(), report.path.clone())
            }
        };
        let head = format!("{mark} {}  {verdict}", report.name);
        let width = |s: &str| textwrap::core::display_width(s);
        write!(out, "{style}{mark} {}{style:#}  {verdict}", report.name)?;
        match self.columns {
            // Too wide for the terminal: the detail goes under the verdict, wrapped.
            Some(columns) if width(&head) + 2 + width(&detail) > columns => {
                writeln!(out)?;
                write!(out, "{DIM}")?;
                for piece in wrap(&detail, "    ", Some(columns)) {
                    writeln!(out, "{piece}")?;
                }
                write!(out, "{DIM:#}")?;
            }
            _ => writeln!(out, "  {DIM}{detail}{DIM:#}")?,
        }
        match &report.outcome {
            ExerciseOutcome::Checked { checks } => {
                for check in checks {
                    self.check(out, check)?;
                }
                self.picture(out, checks)?;
            }
            ExerciseOutcome::CompileError {
                first_error,
                errors,
            } => {
                writeln!(out)?;
                for line in first_error.trim_end().lines() {
                    writeln!(out, "    {line}")?;
                }
                if *errors > 1 {
                    writeln!(
                        out,
                        "    {DIM}(and {} more error{}; fix this one first){DIM:#}",
                        errors - 1,
                        if *errors == 2 { "" } else { "s" }
                    )?;
                }
                writeln!(out)?;
            }
            ExerciseOutcome::NotAllowed { first, count } => {
                writeln!(out)?;
                for line in first.trim_end().lines() {
                    writeln!(out, "    {line}")?;
                }
                if *count > 1 {
                    writeln!(
                        out,
                        "    {DIM}(and {} more; the file is built once none is left){DIM:#}",
                        count - 1
                    )?;
                }
                writeln!(out)?;
            }
            ExerciseOutcome::NotGradable { reason } => {
                write!(out, "{YELLOW}")?;
                self.indented(out, reason, "    ")?;
                write!(out, "{YELLOW:#}")?;
            }
            ExerciseOutcome::NotStarted => {}
        }
        Ok(())
    }

    fn check(&self, out: &mut dyn Write, check: &CheckResult) -> io::Result<()> {
        let time = seconds(check.duration);
        if check.outcome.is_pass() {
            writeln!(
                out,
                "    {GREEN}✓{GREEN:#} {}  {DIM}{time}{DIM:#}",
                check.name
            )?;
        } else {
            writeln!(out, "    {RED}✗{RED:#} {}  {DIM}{time}{DIM:#}", check.name)?;
            let mut text = feedback(&check.outcome);
            if self.glyphs == Glyphs::Ascii {
                // A check's message may embed a picture drawn in blocks.
                text = timeline::ascii_rows(&text);
            }
            self.indented(out, &text, "        ")?;
            if let Some(seed) = check.seed {
                writeln!(
                    out,
                    "        {DIM}(inputs from seed {seed}: `--seed {seed}` replays them){DIM:#}"
                )?;
            }
        }
        if self.verbose && !check.output.trim().is_empty() {
            writeln!(out, "        {DIM}── output ──{DIM:#}")?;
            for line in check.output.trim_end().lines() {
                writeln!(out, "        {DIM}│{DIM:#} {line}")?;
            }
        }
        Ok(())
    }

    /// An experiment's comparison when its checks measured something; otherwise the timeline
    /// of the first failing check that has one, else of the first that has one.
    fn picture(&self, out: &mut dyn Write, checks: &[CheckResult]) -> io::Result<()> {
        let measured: Vec<_> = checks
            .iter()
            .filter_map(|c| c.measurement.as_ref())
            .collect();
        if !measured.is_empty() {
            writeln!(out)?;
            for line in super::comparison::render(
                &measured,
                self.glyphs,
                self.picture_columns() - PICTURE_INDENT.len(),
            )
            .lines()
            {
                writeln!(out, "{PICTURE_INDENT}{line}")?;
            }
            return Ok(());
        }
        let chosen = checks
            .iter()
            .find(|c| !c.outcome.is_pass() && c.timeline.is_some())
            .or_else(|| checks.iter().find(|c| c.timeline.is_some()));
        let Some((check, published)) = chosen.and_then(|c| Some((c, c.timeline.as_ref()?))) else {
            return Ok(());
        };
        let title = format!("timeline of `{}` ({})", check.name, published.title);
        let text = timeline::picture(
            &title,
            &published.spans,
            self.picture_columns() - PICTURE_INDENT.len(),
            self.glyphs,
        );
        writeln!(out)?;
        for line in text.lines() {
            writeln!(out, "{PICTURE_INDENT}{line}")?;
        }
        Ok(())
    }

    /// Writes the closing summary of a run over several exercises.
    pub fn summary(&self, out: &mut dyn Write, reports: &[ExerciseReport]) -> io::Result<()> {
        let passed = reports.iter().filter(|r| r.passed()).count();
        let (checks_passed, checks_total) = reports
            .iter()
            .map(ExerciseReport::check_counts)
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        let style = if passed == reports.len() { GREEN } else { RED };
        writeln!(
            out,
            "\n{style}{passed} of {} exercise{} pass{style:#} {DIM}({checks_passed}/{checks_total} checks){DIM:#}",
            reports.len(),
            if reports.len() == 1 { "" } else { "s" },
        )
    }
}

/// The feedback line(s) for a check that did not pass.
pub fn feedback(outcome: &CheckOutcome) -> String {
    match outcome {
        CheckOutcome::Passed => String::new(),
        CheckOutcome::Failed { message } => message.clone(),
        CheckOutcome::TimedOut { limit, idle: true } => format!(
            "timed out after {}: no progress — likely a deadlock (threads waiting on each \
             other, a lock never released, or a channel nobody closes)",
            seconds(*limit)
        ),
        CheckOutcome::TimedOut { limit, idle: false } => format!(
            "timed out after {} while still busy — an endless loop?",
            seconds(*limit)
        ),
        CheckOutcome::Crashed { detail, .. } => format!("crashed: {detail}"),
        CheckOutcome::LeftProcessRunning { count } => format!(
            "left {count} process{} running after the check ended (concur killed {}): \
             wait for every child process you start",
            if *count == 1 { "" } else { "es" },
            if *count == 1 { "it" } else { "them" }
        ),
        CheckOutcome::TooMuchOutput { limit } => format!(
            "printed more than {} KiB, so concur stopped it — is something printing in a loop?",
            limit / 1024
        ),
    }
}

fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(report: &ExerciseReport) -> String {
        let mut buf = Vec::new();
        Human {
            verbose: false,
            glyphs: Glyphs::Ascii,
            columns: None,
        }
        .exercise(&mut buf, report)
        .expect("write to a Vec");
        anstream::adapter::strip_str(&String::from_utf8(buf).expect("utf8")).to_string()
    }

    #[test]
    fn failing_checks_show_their_feedback() {
        let report = ExerciseReport {
            name: "pool".into(),
            path: "exercises/02_queues/pool.rs".into(),
            duration: Duration::ZERO,
            outcome: ExerciseOutcome::Checked {
                checks: vec![
                    CheckResult {
                        name: "all_jobs".into(),
                        outcome: CheckOutcome::Passed,
                        duration: Duration::from_millis(120),
                        output: String::new(),
                        timeline: None,
                        measurement: None,
                        seed: None,
                    },
                    CheckResult {
                        name: "overlap".into(),
                        outcome: CheckOutcome::TimedOut {
                            limit: Duration::from_secs(10),
                            idle: true,
                        },
                        duration: Duration::from_secs(10),
                        output: String::new(),
                        timeline: None,
                        measurement: None,
                        seed: None,
                    },
                ],
            },
            unchanged: false,
        };
        let text = render(&report);
        assert!(text.contains("✗ pool  1/2 checks pass"), "{text}");
        assert!(text.contains("✓ all_jobs  120ms"), "{text}");
        assert!(text.contains("likely a deadlock"), "{text}");
    }

    #[test]
    fn a_report_with_a_timeline_draws_it_under_the_checks() {
        let span = |i: u64| {
            concur_kit::Span::new(
                format!("job {i}"),
                i * 100_000,
                i * 100_000 + 100_000,
                "ThreadId(3)",
                1,
            )
        };
        let check = |name: &str, outcome, timeline| CheckResult {
            name: name.into(),
            outcome,
            duration: Duration::from_millis(400),
            output: String::new(),
            timeline,
            measurement: None,
            seed: None,
        };
        let published = concur_kit::publish::Published {
            title: "jobs".into(),
            spans: (0..4).map(span).collect(),
        };
        let report = ExerciseReport {
            name: "worker_pool".into(),
            path: "exercises/02_queues/worker_pool.rs".into(),
            duration: Duration::ZERO,
            outcome: ExerciseOutcome::Checked {
                checks: vec![
                    check("every_job_runs_exactly_once", CheckOutcome::Passed, None),
                    check(
                        "jobs_run_at_the_same_time",
                        CheckOutcome::Failed {
                            message: "at most 1 of the 4 jobs ran at the same time".into(),
                        },
                        Some(published),
                    ),
                ],
            },
            unchanged: false,
        };
        insta::assert_snapshot!(render(&report));
    }

    #[test]
    fn compile_errors_show_the_first_error_and_a_count() {
        let report = ExerciseReport {
            name: "pool".into(),
            path: "exercises/02_queues/pool.rs".into(),
            duration: Duration::ZERO,
            outcome: ExerciseOutcome::CompileError {
                first_error:
                    "error[E0308]: mismatched types\n --> exercises/02_queues/pool.rs:3:5\n".into(),
                errors: 3,
            },
            unchanged: false,
        };
        let text = render(&report);
        assert!(text.contains("does not compile"), "{text}");
        assert!(text.contains("    error[E0308]"), "{text}");
        assert!(text.contains("and 2 more errors"), "{text}");
    }

    #[test]
    fn a_picture_inside_a_message_is_ascii_when_colour_is_off() {
        let spans: Vec<concur_kit::Span> = (0..2)
            .map(|i| concur_kit::Span::new(format!("GET /{i}"), i * 1000, i * 1000 + 1000, "t", 1))
            .collect();
        let message = format!(
            "at most 1 request at once\n\ntimeline:\n{}",
            concur_kit::timeline::render(&spans, 30)
        );
        assert!(message.contains('█'), "the kit draws blocks: {message}");
        let report = ExerciseReport {
            name: "fetch_all".into(),
            path: "exercises/06_web_client/fetch_all.rs".into(),
            duration: Duration::ZERO,
            outcome: ExerciseOutcome::Checked {
                checks: vec![CheckResult {
                    name: "requests_overlap".into(),
                    outcome: CheckOutcome::Failed { message },
                    duration: Duration::ZERO,
                    output: String::new(),
                    timeline: None,
                    measurement: None,
                    seed: None,
                }],
            },
            unchanged: false,
        };
        let text = render(&report);
        assert!(!text.contains('█') && !text.contains('▓'), "{text}");
        assert!(text.contains("|###"), "{text}");
    }
}
