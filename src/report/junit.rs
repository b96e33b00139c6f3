//! The JUnit XML reporter: a test suite per exercise, a test case per check.
//!
//! In: exercise reports. Out: JUnit XML (via quick-junit) on the writer, for CI systems and
//! graders that read it. A compile error is one errored test case named `compile`.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::outcome::{CheckOutcome, ExerciseOutcome, ExerciseReport};

/// Writes the whole run as one JUnit XML document.
pub fn write(out: &mut dyn Write, reports: &[ExerciseReport]) -> io::Result<()> {
    let mut report = Report::new("concur");
    for exercise in reports {
        let mut suite = TestSuite::new(exercise.name.as_str());
        suite.set_time(exercise.duration);
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
                            let feedback = super::human::feedback(other);
                            status
                                .set_message(feedback.lines().next().unwrap_or_default())
                                .set_type(other.label())
                                .set_description(feedback);
                            status
                        }
                    };
                    let mut case = TestCase::new(check.name.as_str(), status);
                    case.set_classname(exercise.name.as_str())
                        .set_time(check.duration);
                    suite.add_test_case(case);
                }
            }
            ExerciseOutcome::CompileError { first_error, .. } => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status
                    .set_message("does not compile")
                    .set_type("compile error")
                    .set_description(anstream::adapter::strip_str(first_error).to_string());
                let mut case = TestCase::new("compile", status);
                case.set_classname(exercise.name.as_str());
                suite.add_test_case(case);
            }
            ExerciseOutcome::NotAllowed { first, .. } => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status
                    .set_message("not allowed")
                    .set_type("not allowed")
                    .set_description(first.clone());
                let mut case = TestCase::new("integrity", status);
                case.set_classname(exercise.name.as_str());
                suite.add_test_case(case);
            }
            ExerciseOutcome::NotGradable { reason } => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(reason.as_str()).set_type("not gradable");
                let mut case = TestCase::new("grade", status);
                case.set_classname(exercise.name.as_str());
                suite.add_test_case(case);
            }
        }
        report.add_test_suite(suite);
    }
    report.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}
