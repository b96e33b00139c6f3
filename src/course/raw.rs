//! The raw shape of `info.toml` as serde reads it, and its validation into a [`Course`].
//!
//! In: the text of `info.toml` and its path. Out: a resolved [`Course`] whose values cannot
//! be invalid, or a [`CourseError`] naming the file, the line and the field at fault.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{Course, CourseError, Exercise, Schedule, DEFAULT_TIMEOUT};

/// The only `format_version` this concur understands.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCourse {
    format_version: Spanned<u32>,
    welcome_message: Option<String>,
    final_message: Option<String>,
    #[serde(default)]
    exercises: Vec<Spanned<RawExercise>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    name: Spanned<String>,
    dir: Spanned<String>,
    hints: Spanned<Vec<String>>,
    timeout: Option<Spanned<String>>,
    #[serde(default)]
    program: bool,
    parallel: Option<Spanned<bool>>,
    side_by_side: Option<Spanned<bool>>,
    alone: Option<Spanned<Vec<String>>>,
    points: Option<Spanned<f64>>,
    scoring: Option<Spanned<String>>,
    allow: Option<Spanned<Vec<String>>>,
    deny: Option<Spanned<Vec<String>>>,
}

/// Parses and validates the text of an `info.toml` that lives in `root`.
pub fn parse(text: &str, file: &Path, root: &Path) -> Result<Course, CourseError> {
    let raw: RawCourse = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        CourseError::new(
            file,
            line,
            field_of(e.message()),
            clean_message(e.message()),
        )
    })?;
    let at = |span: std::ops::Range<usize>| Some(line_of(text, span.start));

    if *raw.format_version.get_ref() != FORMAT_VERSION {
        return Err(CourseError::new(
            file,
            at(raw.format_version.span()),
            Some("format_version"),
            format!(
                "format_version {} is not supported; this concur reads format_version {FORMAT_VERSION}",
                raw.format_version.get_ref()
            ),
        ));
    }
    if raw.exercises.is_empty() {
        return Err(CourseError::new(
            file,
            None,
            Some("exercises"),
            "the course has no [[exercises]]".to_string(),
        ));
    }

    let mut exercises: Vec<Exercise> = Vec::with_capacity(raw.exercises.len());
    for spanned in raw.exercises {
        let ex = spanned.into_inner();
        let name = ex.name.get_ref().clone();
        if !is_identifier(&name) {
            return Err(CourseError::new(
                file,
                at(ex.name.span()),
                Some("name"),
                format!("`{name}` is not a valid exercise name: use a-z, 0-9 and _, starting with a letter"),
            ));
        }
        if let Some(first) = exercises.iter().find(|e| e.name == name) {
            return Err(CourseError::new(
                file,
                at(ex.name.span()),
                Some("name"),
                format!(
                    "exercise `{}` is defined twice (first in topic `{}`)",
                    name, first.dir
                ),
            ));
        }
        let dir = ex.dir.get_ref().clone();
        if dir.is_empty()
            || !dir
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(CourseError::new(
                file,
                at(ex.dir.span()),
                Some("dir"),
                format!(
                    "`{dir}` is not a valid topic folder: use one folder name of a-z, 0-9, _ and -"
                ),
            ));
        }
        let hints = ex.hints.get_ref();
        if hints.is_empty() || hints.iter().any(|h| h.trim().is_empty()) {
            return Err(CourseError::new(
                file,
                at(ex.hints.span()),
                Some("hints"),
                format!("exercise `{name}` needs at least one hint, and no hint may be empty"),
            ));
        }
        let timeout = match &ex.timeout {
            None => DEFAULT_TIMEOUT,
            Some(t) => parse_timeout(t.get_ref())
                .map_err(|why| CourseError::new(file, at(t.span()), Some("timeout"), why))?,
        };
        let schedule = schedule(&ex, &name)
            .map_err(|(span, field, why)| CourseError::new(file, at(span), Some(field), why))?;
        let points = match &ex.points {
            None => 1.0,
            Some(p) if p.get_ref().is_finite() && *p.get_ref() > 0.0 => *p.get_ref(),
            Some(p) => {
                return Err(CourseError::new(
                    file,
                    at(p.span()),
                    Some("points"),
                    format!("points must be a number above 0, not {}", p.get_ref()),
                ))
            }
        };
        let all_or_nothing = match ex
            .scoring
            .as_ref()
            .map(|s| (s.get_ref().as_str(), s.span()))
        {
            None | Some(("split", _)) => false,
            Some(("all_or_nothing", _)) => true,
            Some((other, span)) => {
                return Err(CourseError::new(
                    file,
                    at(span),
                    Some("scoring"),
                    format!("scoring must be \"split\" or \"all_or_nothing\", not \"{other}\""),
                ))
            }
        };
        let allow = match ex.allow {
            None => Vec::new(),
            Some(allow) => {
                let span = allow.span();
                let allow = allow.into_inner();
                if let Some(bad) = allow.iter().find(|a| !allowable(a)) {
                    return Err(CourseError::new(
                        file,
                        at(span),
                        Some("allow"),
                        format!(
                            "`{bad}` is not a rule concur can lift; allow one of {}, or a \
                             `concur_kit::…` path",
                            crate::integrity::ALLOWABLE
                                .iter()
                                .map(|a| format!("\"{a}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                allow
            }
        };
        let deny = match ex.deny {
            None => Vec::new(),
            Some(deny) => {
                let span = deny.span();
                let deny = deny.into_inner();
                // A rustc lint (`unused_results`) or a clippy one (`clippy::unwrap_used`).
                let lint = |l: &String| {
                    let name = l.strip_prefix("clippy::").unwrap_or(l);
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                };
                if let Some(bad) = deny.iter().find(|l| !lint(l)) {
                    return Err(CourseError::new(
                        file,
                        at(span),
                        Some("deny"),
                        format!(
                            "`{bad}` cannot be denied: a lint name is lowercase letters and `_`, \
                             such as \"unused_must_use\" (rustc) or \"clippy::unwrap_used\" \
                             (clippy)"
                        ),
                    ));
                }
                deny
            }
        };
        exercises.push(Exercise {
            points,
            all_or_nothing,
            allow,
            deny,
            name,
            dir,
            hints: ex.hints.into_inner(),
            timeout,
            program: ex.program,
            schedule,
            index: exercises.len(),
        });
    }

    Ok(Course {
        root: root.to_path_buf(),
        home: root.to_path_buf(),
        welcome_message: raw.welcome_message,
        final_message: raw.final_message,
        exercises,
    })
}

/// How the checks of `ex` (named `name`) are run: `parallel`, `side_by_side` and `alone`.
/// An error carries the span and the field at fault.
fn schedule(
    ex: &RawExercise,
    name: &str,
) -> Result<Schedule, (std::ops::Range<usize>, &'static str, String)> {
    let on = |flag: &Option<Spanned<bool>>| flag.as_ref().is_some_and(|f| *f.get_ref());
    let (parallel, side_by_side) = (on(&ex.parallel), on(&ex.side_by_side));
    if let Some(flag) = ex
        .side_by_side
        .as_ref()
        .filter(|_| parallel && side_by_side)
    {
        return Err((
            flag.span(),
            "side_by_side",
            format!(
                "exercise `{name}` has both `parallel = true` and `side_by_side = true`: \
                 choose one (parallel: the checks measure no time; side_by_side: they time \
                 waiting work only)"
            ),
        ));
    }
    let alone = match &ex.alone {
        None => Vec::new(),
        Some(alone) if !side_by_side => {
            return Err((
                alone.span(),
                "alone",
                format!(
                    "exercise `{name}` names checks to run `alone`, but its checks already run \
                     one at a time: `alone` goes with `side_by_side = true`"
                ),
            ))
        }
        Some(alone) => {
            if let Some(bad) = alone.get_ref().iter().find(|c| !is_check_name(c)) {
                return Err((
                    alone.span(),
                    "alone",
                    format!("`{bad}` is not a check name: `alone` lists `#[test]` fn names"),
                ));
            }
            alone.get_ref().clone()
        }
    };
    Ok(match (parallel, side_by_side) {
        (true, _) => Schedule::AllAtOnce,
        (false, true) => Schedule::SideBySide { alone },
        (false, false) => Schedule::OneByOne,
    })
}

/// A Rust function name as a check is named: letters, digits and `_`, not starting with a
/// digit.
fn is_check_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim()).map_err(|e| {
        format!("`{text}` is not a duration ({e}); write it like \"10s\" or \"500ms\"")
    })?;
    if d < Duration::from_millis(100) || d > Duration::from_secs(600) {
        return Err(format!(
            "timeout `{text}` is out of range: use between 100ms and 10m"
        ));
    }
    Ok(d)
}

/// A rule of the integrity scan, or a part of the kit.
fn allowable(rule: &str) -> bool {
    crate::integrity::ALLOWABLE.contains(&rule)
        || rule
            .strip_prefix("concur_kit::")
            .is_some_and(|rest| !rest.is_empty() && rest.split("::").all(is_identifier))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The field a serde message is about, when it names one ("missing field `hints`").
fn field_of(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    let field = &message[start..start + len];
    (!field.contains(' ')).then_some(field)
}

fn clean_message(message: &str) -> String {
    message.trim().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Course, CourseError> {
        parse(text, Path::new("info.toml"), Path::new("/course"))
    }

    const GOOD: &str = r#"format_version = 1
welcome_message = "hi"

[[exercises]]
name = "queues3"
dir = "02_queues"
hints = ["one", "two"]
timeout = "2s"

[[exercises]]
name = "pool"
dir = "04_processes"
hints = ["one"]
program = true
"#;

    #[test]
    fn a_good_course_resolves_with_defaults() {
        let course = parse_str(GOOD).expect("valid course");
        assert_eq!(course.exercises.len(), 2);
        assert_eq!(course.exercises[0].timeout, Duration::from_secs(2));
        assert_eq!(course.exercises[1].timeout, DEFAULT_TIMEOUT);
        assert!(course.exercises[1].program);
        assert_eq!(course.exercises[1].schedule, Schedule::OneByOne);
        assert_eq!(course.welcome_message.as_deref(), Some("hi"));
    }

    #[test]
    fn missing_hints_names_line_and_field() {
        let text = "format_version = 1\n\n[[exercises]]\nname = \"a\"\ndir = \"d\"\n";
        let err = parse_str(text).expect_err("hints missing");
        assert_eq!(err.field.as_deref(), Some("hints"));
        assert_eq!(err.line, Some(3));
        assert!(err.to_string().starts_with("info.toml:3:"), "{err}");
    }

    #[test]
    fn empty_hints_are_rejected_at_their_line() {
        let text = GOOD.replace("hints = [\"one\"]", "hints = []");
        let err = parse_str(&text).expect_err("empty hints");
        assert_eq!(err.field.as_deref(), Some("hints"));
        assert_eq!(err.line, Some(13));
    }

    #[test]
    fn bad_timeout_names_the_field() {
        let text = GOOD.replace("\"2s\"", "\"soon\"");
        let err = parse_str(&text).expect_err("bad timeout");
        assert_eq!(err.field.as_deref(), Some("timeout"));
        assert_eq!(err.line, Some(8));
        assert!(err.message.contains("soon"), "{err}");
    }

    #[test]
    fn duplicate_and_invalid_names_are_rejected() {
        let dup = GOOD.replace("name = \"pool\"", "name = \"queues3\"");
        let err = parse_str(&dup).expect_err("duplicate");
        assert!(err.message.contains("defined twice"), "{err}");
        assert_eq!(err.line, Some(11));
        let bad = GOOD.replace("name = \"pool\"", "name = \"Pool-1\"");
        assert_eq!(
            parse_str(&bad).expect_err("bad name").field.as_deref(),
            Some("name")
        );
    }

    #[test]
    fn unknown_fields_and_versions_are_rejected() {
        let typo = GOOD.replace("timeout = \"2s\"", "timout = \"2s\"");
        let err = parse_str(&typo).expect_err("unknown field");
        assert_eq!(err.line, Some(8));
        assert!(err.message.contains("timout"), "{err}");
        let v2 = GOOD.replace("format_version = 1", "format_version = 2");
        let err = parse_str(&v2).expect_err("version");
        assert_eq!(err.field.as_deref(), Some("format_version"));
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn points_and_scoring_are_validated() {
        let course = parse_str(&GOOD.replace(
            "program = true",
            "program = true\npoints = 2.5\nscoring = \"all_or_nothing\"",
        ))
        .expect("valid");
        assert_eq!(course.exercises[1].points, 2.5);
        assert!(course.exercises[1].all_or_nothing);
        assert_eq!(course.exercises[0].points, 1.0);
        assert!(!course.exercises[0].all_or_nothing);
        let err = parse_str(&GOOD.replace("program = true", "program = true\npoints = 0"))
            .expect_err("zero");
        assert_eq!(err.field.as_deref(), Some("points"));
        let err = parse_str(&GOOD.replace("program = true", "program = true\nscoring = \"most\""))
            .expect_err("bad");
        assert_eq!(err.field.as_deref(), Some("scoring"));
    }

    #[test]
    fn allow_names_rules_the_scan_knows() {
        let course = parse_str(&GOOD.replace(
            "program = true",
            "program = true\nallow = [\"unsafe\", \"concur_kit::trace\"]",
        ))
        .expect("valid");
        assert_eq!(course.exercises[1].allow, ["unsafe", "concur_kit::trace"]);
        let err =
            parse_str(&GOOD.replace("program = true", "program = true\nallow = [\"everything\"]"))
                .expect_err("unknown rule");
        assert_eq!(err.field.as_deref(), Some("allow"));
        assert_eq!(err.line, Some(15));
        assert!(err.message.contains("`everything`"), "{err}");
    }

    #[test]
    fn side_by_side_takes_the_checks_to_run_alone() {
        let with = |extra: &str| parse_str(&GOOD.replace("program = true", extra));
        let course = with("side_by_side = true\nalone = [\"uses_no_cpu\"]").expect("valid");
        assert_eq!(
            course.exercises[1].schedule,
            Schedule::SideBySide {
                alone: vec!["uses_no_cpu".to_string()]
            }
        );
        let course = with("parallel = true").expect("valid");
        assert_eq!(course.exercises[1].schedule, Schedule::AllAtOnce);
        let err = with("parallel = true\nside_by_side = true").expect_err("both");
        assert_eq!(err.field.as_deref(), Some("side_by_side"));
        assert_eq!(err.line, Some(15));
        let err = with("alone = [\"uses_no_cpu\"]").expect_err("alone without side_by_side");
        assert_eq!(err.field.as_deref(), Some("alone"));
        assert_eq!(err.line, Some(14));
        let err = with("side_by_side = true\nalone = [\"no such check\"]").expect_err("name");
        assert!(err.message.contains("`no such check`"), "{err}");
    }

    #[test]
    fn syntax_errors_carry_a_line() {
        let err = parse_str("format_version = 1\n[[exercises]\n").expect_err("syntax");
        assert_eq!(err.line, Some(2));
    }
}
