//! Where a grading's learner files come from: the learner's `exercises/`, the course's
//! `solutions/`, or another tree laid out the same way (a class's submission).
//!
//! In: a course. Out: a [`Tree`] the pipeline stages and builds.

use std::path::PathBuf;

use super::Course;

/// Where learner files come from: the course's `exercises/`, its `solutions/`, or another tree.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Short name, unique per tree; names the staged package and its programs.
    pub tag: String,
    pub path: PathBuf,
    /// The hidden checks are built with warnings denied (`concur dev check`), so a check that
    /// imports what it does not use is a problem a course author sees.
    pub strict: bool,
}

impl Tree {
    pub fn exercises(course: &Course) -> Tree {
        Tree {
            tag: "exercises".into(),
            path: course.exercises_dir(),
            strict: false,
        }
    }

    pub fn solutions(course: &Course) -> Tree {
        Tree {
            tag: "solutions".into(),
            path: course.solutions_dir(),
            strict: false,
        }
    }

    /// The same tree with the checks built with warnings denied.
    pub fn strict(self) -> Tree {
        Tree {
            strict: true,
            ..self
        }
    }
}
