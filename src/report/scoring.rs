//! Points: what each check and exercise is worth, from `points` and `scoring` in info.toml.
//!
//! In: exercise reports and the course. Out: per exercise, scored items (one per check when
//! the points are split, one for the whole exercise when all-or-nothing) that the Gradescope
//! and GitHub reporters turn into their formats.

use crate::course::Course;
use crate::outcome::{ExerciseOutcome, ExerciseReport};

use super::human::feedback;

/// One graded line: a check, or a whole exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// "exercise: check", or the exercise name alone.
    pub name: String,
    pub score: f64,
    pub max_score: f64,
    pub passed: bool,
    /// What the learner should read: the feedback, or the first compile error.
    pub output: String,
    pub seconds: f64,
}

/// Points to the hundredth: a sum of split points (a third, a sixth, …) carries float noise
/// (40.00000000000005) that no gradebook should show or compare.
pub fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

/// Scores every report; exercises the course does not know are worth 1 point.
pub fn score(course: &Course, reports: &[ExerciseReport]) -> Vec<Scored> {
    let mut items = Vec::new();
    for report in reports {
        let exercise = course.exercises.iter().find(|e| e.name == report.name);
        let points = exercise.map_or(1.0, |e| e.points);
        let all_or_nothing = exercise.is_some_and(|e| e.all_or_nothing);
        let seconds = report.duration.as_secs_f64();
        match &report.outcome {
            ExerciseOutcome::Checked { checks } if !all_or_nothing && !checks.is_empty() => {
                let each = points / checks.len() as f64;
                for check in checks {
                    // A starting file passes some checks by doing nothing (an empty input, say);
                    // those earn nothing until the learner has changed the file.
                    let passed = check.outcome.is_pass() && !report.unchanged;
                    let output = if report.unchanged {
                        format!("not started: {} is still its starting version", report.path)
                    } else {
                        feedback(&check.outcome)
                    };
                    items.push(Scored {
                        name: format!("{}: {}", report.name, check.name),
                        score: if passed { each } else { 0.0 },
                        max_score: each,
                        passed,
                        output,
                        seconds: check.duration.as_secs_f64(),
                    });
                }
            }
            outcome => {
                let passed = report.passed();
                let output = match outcome {
                    ExerciseOutcome::Checked { checks } => checks
                        .iter()
                        .map(|c| {
                            let mark = if c.outcome.is_pass() { "✓" } else { "✗" };
                            let fb = feedback(&c.outcome);
                            if fb.is_empty() {
                                format!("{mark} {}", c.name)
                            } else {
                                format!("{mark} {}: {fb}", c.name)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                    ExerciseOutcome::CompileError { first_error, .. } => format!(
                        "does not compile:\n{}",
                        anstream::adapter::strip_str(first_error)
                    ),
                    ExerciseOutcome::NotAllowed { first, .. } => first.clone(),
                    ExerciseOutcome::NotGradable { reason } => reason.clone(),
                };
                items.push(Scored {
                    name: report.name.clone(),
                    score: if passed { points } else { 0.0 },
                    max_score: points,
                    passed,
                    output,
                    seconds,
                });
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::round;

    #[test]
    fn split_points_add_up_without_noise() {
        // Exercises of 3, 6, 7 and 11 checks, one point each, split evenly.
        let split: f64 = [3, 6, 7, 11]
            .into_iter()
            .flat_map(|n| std::iter::repeat_n(1.0 / f64::from(n), n as usize))
            .sum();
        assert_eq!(round(split), 4.0);
        assert_eq!(round(2.0 / 3.0), 0.67);
        assert_eq!(round(2.5), 2.5);
    }
}
