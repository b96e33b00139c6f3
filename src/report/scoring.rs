//! Points: what each check and exercise is worth, from `points` and `scoring` in info.toml.
//!
//! In: exercise reports and the course. Out: per exercise, scored items (one per check when
//! the points are split, one for the whole exercise when all-or-nothing) that the Gradescope
//! and GitHub reporters and the gradebook turn into their formats.
//!
//! Points are counted in hundredths, as integers: an exercise's points are split across its
//! checks by the largest remainder (a third of a point is 34, 33 and 33 hundredths), so the
//! parts always add up to the whole, every sum is exact, and every format shows the same
//! total. One rule for a file still at its starting version, everywhere: it earns nothing.

use crate::course::Course;
use crate::outcome::{ExerciseOutcome, ExerciseReport};

use super::human::feedback;

/// One graded line: a check, or a whole exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// "exercise: check", or the exercise name alone.
    pub name: String,
    /// The exercise this line belongs to.
    pub exercise: String,
    /// Points earned and possible, in hundredths.
    pub cents: u64,
    pub max_cents: u64,
    pub passed: bool,
    /// What the learner should read: the feedback, or the first compile error.
    pub output: String,
    pub seconds: f64,
}

impl Scored {
    pub fn score(&self) -> f64 {
        points(self.cents)
    }

    pub fn max_score(&self) -> f64 {
        points(self.max_cents)
    }
}

/// Hundredths of a point as points: exact to two decimals.
pub fn points(cents: u64) -> f64 {
    cents as f64 / 100.0
}

/// Points to the hundredth, as counted here.
pub fn cents(points: f64) -> u64 {
    (points * 100.0).round().max(0.0) as u64
}

/// Points to the hundredth: a sum of split points (a third, a sixth, …) carries float noise
/// (40.00000000000005) that no gradebook should show or compare.
pub fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

/// `total` hundredths split into `parts` shares that add up to it: the first `total % parts`
/// get one more.
pub fn split(total: u64, parts: usize) -> Vec<u64> {
    if parts == 0 {
        return Vec::new();
    }
    let parts = parts as u64;
    (0..parts)
        .map(|i| total / parts + u64::from(i < total % parts))
        .collect()
}

/// Why a line earned nothing although its checks may have passed.
pub fn not_started_message(report: &ExerciseReport) -> String {
    format!("not started: {} is still its starting version", report.path)
}

/// Scores every report; exercises the course does not know are worth 1 point.
pub fn score(course: &Course, reports: &[ExerciseReport]) -> Vec<Scored> {
    let mut items = Vec::new();
    for report in reports {
        let exercise = course.exercises.iter().find(|e| e.name == report.name);
        let max = cents(exercise.map_or(1.0, |e| e.points));
        let all_or_nothing = exercise.is_some_and(|e| e.all_or_nothing);
        let seconds = report.duration.as_secs_f64();
        let not_started = report.not_started();
        match &report.outcome {
            ExerciseOutcome::Checked { checks } if !all_or_nothing && !checks.is_empty() => {
                for (check, share) in checks.iter().zip(split(max, checks.len())) {
                    // A starting file passes some checks by doing nothing (an empty input, say);
                    // those earn nothing until the learner has changed the file.
                    let passed = check.outcome.is_pass() && !not_started;
                    let output = if not_started {
                        not_started_message(report)
                    } else {
                        feedback(&check.outcome)
                    };
                    items.push(Scored {
                        name: format!("{}: {}", report.name, check.name),
                        exercise: report.name.clone(),
                        cents: if passed { share } else { 0 },
                        max_cents: share,
                        passed,
                        output,
                        seconds: check.duration.as_secs_f64(),
                    });
                }
            }
            outcome => {
                let passed = report.passed() && !not_started;
                let output = if not_started {
                    not_started_message(report)
                } else {
                    summary(outcome)
                };
                items.push(Scored {
                    name: report.name.clone(),
                    exercise: report.name.clone(),
                    cents: if passed { max } else { 0 },
                    max_cents: max,
                    passed,
                    output,
                    seconds,
                });
            }
        }
    }
    items
}

/// One text for a whole exercise's outcome.
pub fn summary(outcome: &ExerciseOutcome) -> String {
    match outcome {
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
        ExerciseOutcome::NotStarted => "not started: still its starting version".to_string(),
        ExerciseOutcome::NotGradable { reason } => reason.clone(),
    }
}

/// The whole of `items`, in hundredths: (earned, possible).
pub fn totals(items: &[Scored]) -> (u64, u64) {
    (
        items.iter().map(|i| i.cents).sum(),
        items.iter().map(|i| i.max_cents).sum(),
    )
}

/// `text` cut to at most `max` bytes on a character boundary, saying how much was left out.
pub fn capped(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(60);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… ({} more bytes left out)",
        &text[..end],
        text.len() - end
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_points_add_up_exactly() {
        assert_eq!(split(100, 3), [34, 33, 33]);
        assert_eq!(split(100, 6).iter().sum::<u64>(), 100);
        assert_eq!(split(250, 7).iter().sum::<u64>(), 250);
        assert!(split(5, 0).is_empty());
        // Exercises of 3, 6, 7 and 11 checks, one point each: the parts are whole.
        let total: u64 = [3, 6, 7, 11].into_iter().flat_map(|n| split(100, n)).sum();
        assert_eq!(points(total), 4.0);
        assert_eq!(round(2.0 / 3.0), 0.67);
        assert_eq!(cents(2.5), 250);
    }

    #[test]
    fn long_texts_are_capped_on_a_character_boundary() {
        let long = "é".repeat(3000);
        let cut = capped(&long, 1000);
        assert!(cut.len() <= 1000, "{}", cut.len());
        assert!(cut.ends_with("bytes left out)"));
        assert_eq!(capped("short", 1000), "short");
    }
}
