//! The course: which exercises exist, where their files are, their hints and limits.
//!
//! In: a course folder (given with `--course` or found by walking up to the nearest
//! `info.toml`). Out: a resolved [`Course`] every other part reads; its paths are absolute and
//! its values valid. Loading errors are [`CourseError`]s that name file, line and field.

mod raw;
mod tree;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use raw::FORMAT_VERSION;
pub use tree::Tree;

/// Wall-clock limit for one check run when `info.toml` sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The file that makes a folder a course.
pub const INFO_FILE: &str = "info.toml";

/// A loaded, validated course.
#[derive(Debug, Clone)]
pub struct Course {
    /// Absolute path of the course folder (info.toml, solutions, hidden checks).
    pub root: PathBuf,
    /// Where the learner works: `exercises/` and `.concur/` (state, backups). The course folder
    /// itself, except in a learner workspace made by `concur init`, whose course is the copy
    /// built into concur.
    pub home: PathBuf,
    pub welcome_message: Option<String>,
    pub final_message: Option<String>,
    /// In course order.
    pub exercises: Vec<Exercise>,
}

/// One exercise of a course.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub name: String,
    /// Topic folder, e.g. `02_queues`.
    pub dir: String,
    /// Progressive hints; never empty.
    pub hints: Vec<String>,
    /// Wall-clock limit for one check run.
    pub timeout: Duration,
    /// The checks start the learner's program, so concur builds it and passes its path in
    /// `CONCUR_EXERCISE_BIN`.
    pub program: bool,
    /// How its checks share the machine: one after another (the default), all at once, or
    /// side by side but for those that measure the CPU.
    pub schedule: Schedule,
    /// Position in the course, from 0.
    pub index: usize,
    /// What the exercise is worth in a grade (`points`, default 1).
    pub points: f64,
    /// All points only when every check passes (`scoring = "all_or_nothing"`), instead of the
    /// points split evenly across the checks.
    pub all_or_nothing: bool,
    /// What the integrity scan lets this exercise's learner file contain after all (`allow`).
    pub allow: Vec<String>,
    /// Lints the learner's file must not trigger (`deny`), rustc's (`unused_results`) or
    /// clippy's (`clippy::unwrap_used`): a hit is a compile error.
    pub deny: Vec<String>,
}

/// How an exercise's checks are run, each in its own process.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Schedule {
    /// One after another, with nothing else running, so timing checks never compete for the
    /// CPU.
    #[default]
    OneByOne,
    /// In the shared pool (`parallel = true`): the checks measure no time.
    AllAtOnce,
    /// In the shared pool (`side_by_side = true`): the checks' timing facts are about work
    /// that waits (sleeps, the mock API), which does not compete for the CPU. Those named in
    /// `alone` (`alone = [...]`: they measure CPU time) run one at a time after the others,
    /// with nothing else running.
    SideBySide { alone: Vec<String> },
}

impl Schedule {
    /// How many checks of the shared pool run at once: the checks of consecutive exercises
    /// whose schedule is not [`Schedule::OneByOne`]. Fixed, so the verdict is the same on
    /// 2 cores and on 16.
    pub const SIDE_BY_SIDE: usize = 8;
}

impl Exercise {
    /// Whether a clippy lint is denied, so the build runs clippy on this exercise too.
    pub fn denies_clippy_lints(&self) -> bool {
        self.deny.iter().any(|l| l.starts_with("clippy::"))
    }

    /// Path of this exercise's file below a source tree (`exercises/` or `solutions/`).
    pub fn file_in(&self, tree: &Path) -> PathBuf {
        tree.join(&self.dir).join(format!("{}.rs", self.name))
    }

    /// Path relative to the course root, for display: `exercises/02_queues/queues3.rs`.
    pub fn display_path(&self) -> String {
        format!("exercises/{}/{}.rs", self.dir, self.name)
    }
}

impl Course {
    /// Loads the course in `root` (a folder holding `info.toml`).
    pub fn load(root: &Path) -> Result<Course, CourseError> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let file = root.join(INFO_FILE);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            CourseError::new(
                &file,
                None,
                None,
                format!("cannot read the course file: {e}"),
            )
        })?;
        raw::parse(&text, &file, &root)
    }

    /// `path` relative to where the learner works, for display.
    pub fn relative(&self, path: &Path) -> String {
        relative_to(&self.home, path)
    }

    pub fn exercises_dir(&self) -> PathBuf {
        self.home.join("exercises")
    }

    /// The starting version of `ex` as the course ships it. In a course folder this is the
    /// very file the learner edits; in a workspace, the copy built into concur.
    pub fn starting_file(&self, ex: &Exercise) -> PathBuf {
        ex.file_in(&self.root.join("exercises"))
    }

    /// True in a learner workspace (`concur init`): solutions and checks are not beside the
    /// exercises.
    pub fn is_workspace(&self) -> bool {
        self.home != self.root
    }

    pub fn solutions_dir(&self) -> PathBuf {
        self.root.join("solutions")
    }

    pub fn checks_dir(&self) -> PathBuf {
        self.root.join("tests").join("hidden")
    }

    /// The exercise called `name` — or numbered `name`, as `concur list` numbers them from 1 —
    /// or an error suggesting the closest name.
    pub fn exercise(&self, name: &str) -> Result<&Exercise, UnknownExercise> {
        if let Ok(number) = name.parse::<usize>() {
            return number
                .checked_sub(1)
                .and_then(|i| self.exercises.get(i))
                .ok_or_else(|| UnknownExercise {
                    name: name.to_string(),
                    suggestion: None,
                });
        }
        self.exercises
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| UnknownExercise {
                name: name.to_string(),
                suggestion: self.closest(name),
            })
    }

    fn closest(&self, name: &str) -> Option<String> {
        self.exercises
            .iter()
            .map(|e| (strsim::jaro(name, &e.name), &e.name))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| n.clone())
    }
}

/// `path` relative to `root` when it lies below it, else as it is.
pub fn relative_to(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `text` (a compiler's or a check's message) with every absolute path below one of `roots`
/// written relative to that root, as the learner sees it.
pub fn relative_in_text(text: &str, roots: &[&Path]) -> String {
    roots.iter().fold(text.to_string(), |text, root| {
        let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
        text.replace(&prefix, "")
    })
}

/// A problem with the course files, located as precisely as possible.
#[derive(Debug, Clone, thiserror::Error)]
pub struct CourseError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl CourseError {
    pub fn new(file: &Path, line: Option<usize>, field: Option<&str>, message: String) -> Self {
        CourseError {
            file: file.to_path_buf(),
            line,
            field: field.map(str::to_string),
            message,
        }
    }
}

impl fmt::Display for CourseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            if !self.message.contains(&format!("`{field}`")) {
                write!(f, "field `{field}`: ")?;
            }
        }
        write!(f, "{}", self.message)
    }
}

/// A name given on the command line that is not an exercise of the course.
#[derive(Debug, Clone, thiserror::Error)]
pub struct UnknownExercise {
    pub name: String,
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownExercise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no exercise named `{}`", self.name)?;
        match &self.suggestion {
            Some(s) => write!(f, "\n\n  tip: did you mean `{s}`?"),
            None => write!(f, "\n\n  tip: `concur list` shows every exercise"),
        }
    }
}

#[cfg(test)]
impl Exercise {
    /// An exercise with the defaults `info.toml` gives, one hint, for tests.
    pub fn sample(name: &str, dir: &str, index: usize) -> Exercise {
        Exercise {
            name: name.into(),
            dir: dir.into(),
            hints: vec!["h".into()],
            timeout: DEFAULT_TIMEOUT,
            program: false,
            schedule: Schedule::OneByOne,
            index,
            points: 1.0,
            all_or_nothing: false,
            allow: Vec::new(),
            deny: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        let ex = |name: &str, index| Exercise::sample(name, "d", index);
        Course {
            root: "/c".into(),
            home: "/c".into(),
            welcome_message: None,
            final_message: None,
            exercises: vec![ex("queues3", 0), ex("threads1", 1)],
        }
    }

    #[test]
    fn unknown_exercise_suggests_the_closest_name() {
        let err = course().exercise("queue3").expect_err("unknown");
        assert_eq!(err.suggestion.as_deref(), Some("queues3"));
        assert!(err.to_string().contains("did you mean `queues3`?"));
        let far = course().exercise("zzz").expect_err("unknown");
        assert_eq!(far.suggestion, None);
        // The numbers `concur list` shows work too.
        assert_eq!(course().exercise("2").expect("second").name, "threads1");
        assert!(course().exercise("3").is_err() && course().exercise("0").is_err());
    }
}
