//! The JUnit XML reporter: a test suite per exercise, a test case per check.
//!
//! In: exercise reports and the run's wall time. Out: JUnit XML (via quick-junit) on the
//! writer, for CI systems and graders that read it, in the dialect of Jenkins' `junit-10.xsd`,
//! the schema most consumers follow: the root carries `name`, `tests`, `failures`, `errors` and
//! `time` (no `skipped`, which it does not allow); every case has a `time`; a failure's text is
//! in its body once, with the kind of outcome as its short `message`. A compile error is one
//! errored case named `compile`, a refused file one named `integrity`, a file that cannot be
//! graded one named `grade`; a file still at its starting version is a failed case `started`
//! (it earns nothing, whatever its checks say) followed by its checks if they ran.

use std::io::{self, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::scoring::not_started_message;
use crate::outcome::{CheckOutcome, ExerciseOutcome, ExerciseReport};

/// Writes the whole run as one JUnit XML document.
pub fn write(out: &mut dyn Write, reports: &[ExerciseReport], wall: Duration) -> io::Result<()> {
    let mut report = Report::new("concur");
    report.set_time(wall);
    for exercise in reports {
        report.add_test_suite(suite(exercise));
    }
    let mut xml = Vec::new();
    report.serialize(&mut xml).map_err(io::Error::other)?;
    out.write_all(&without_root_skipped(&xml))?;
    writeln!(out)
}

/// A document for a run that could not grade: one errored case saying why.
pub fn write_error(out: &mut dyn Write, reason: &str) -> io::Result<()> {
    let mut report = Report::new("concur");
    report.set_time(Duration::ZERO);
    let mut suite = TestSuite::new("concur");
    suite.set_time(Duration::ZERO);
    suite.add_test_case(errored("grade", "not graded", reason, "concur"));
    report.add_test_suite(suite);
    let mut xml = Vec::new();
    report.serialize(&mut xml).map_err(io::Error::other)?;
    out.write_all(&without_root_skipped(&xml))?;
    writeln!(out)
}

fn suite(exercise: &ExerciseReport) -> TestSuite {
    let mut suite = TestSuite::new(exercise.name.as_str());
    suite.set_time(exercise.duration);
    let class = exercise.name.as_str();
    if exercise.not_started() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message("not started")
            .set_type("not started")
            .set_description(not_started_message(exercise));
        let mut case = TestCase::new("started", status);
        case.set_classname(class).set_time(Duration::ZERO);
        suite.add_test_case(case);
    }
    match &exercise.outcome {
        ExerciseOutcome::Checked { checks } => {
            for check in checks {
                let status = match &check.outcome {
                    CheckOutcome::Passed => TestCaseStatus::success(),
                    other => {
                        let kind = match other {
                            CheckOutcome::Failed { .. } => NonSuccessKind::Failure,
                            _ => NonSuccessKind::Error,
                        };
                        let mut status = TestCaseStatus::non_success(kind);
                        status
                            .set_message(other.label())
                            .set_type(other.label())
                            .set_description(super::human::feedback(other));
                        status
                    }
                };
                let mut case = TestCase::new(check.name.as_str(), status);
                case.set_classname(class).set_time(check.duration);
                suite.add_test_case(case);
            }
        }
        ExerciseOutcome::CompileError { first_error, .. } => {
            suite.add_test_case(errored(
                "compile",
                "compile error",
                &anstream::adapter::strip_str(first_error).to_string(),
                class,
            ));
        }
        ExerciseOutcome::NotAllowed { first, .. } => {
            suite.add_test_case(errored("integrity", "not allowed", first, class));
        }
        ExerciseOutcome::NotGradable { reason } => {
            suite.add_test_case(errored("grade", "not gradable", reason, class));
        }
        ExerciseOutcome::NotStarted => {}
    }
    suite
}

fn errored(name: &str, kind: &str, text: &str, class: &str) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(kind)
        .set_type(kind)
        .set_description(text);
    let mut case = TestCase::new(name, status);
    case.set_classname(class).set_time(Duration::ZERO);
    case
}

/// quick-junit writes `skipped` on `<testsuites>`, which `junit-10.xsd` does not allow there
/// (only on `<testsuite>`); concur never skips a check, so the attribute is dropped.
fn without_root_skipped(xml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let Some(start) = text.find("<testsuites") else {
        return xml.to_vec();
    };
    let end = start + text[start..].find('>').unwrap_or(0);
    let tag = &text[start..end];
    let cleaned = match tag.find(" skipped=\"") {
        Some(at) => {
            let after = at + " skipped=\"".len();
            let close = after + tag[after..].find('"').unwrap_or(0) + 1;
            format!("{}{}", &tag[..at], &tag[close..])
        }
        None => tag.to_string(),
    };
    format!("{}{}{}", &text[..start], cleaned, &text[end..]).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::without_root_skipped;

    #[test]
    fn the_root_loses_only_its_skipped_attribute() {
        let xml = br#"<?xml version="1.0"?><testsuites name="concur" tests="2" skipped="0" failures="1"><testsuite name="a" tests="2" skipped="0"/></testsuites>"#;
        let cleaned = String::from_utf8(without_root_skipped(xml)).expect("utf-8");
        assert_eq!(
            cleaned,
            r#"<?xml version="1.0"?><testsuites name="concur" tests="2" failures="1"><testsuite name="a" tests="2" skipped="0"/></testsuites>"#
        );
    }
}
