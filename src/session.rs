//! The session: where everything lives, resolved once at the edge.
//!
//! In: `--course`, the working folder and the machine's [`Places`] (the environment, read
//! once). Out: a [`Session`]: the course as plain data, its language, the learner's home,
//! the checks, the kit and the target folder. Every later part — the pipeline, the stage,
//! the build — reads what it needs from it and looks nothing up by itself.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::course::{Course, CourseError, INFO_FILE};
use crate::error::Result;
use crate::lang::Language;
pub use crate::places::Places;
use crate::workspace;

/// One command's view of the world: the course and everywhere its work goes.
#[derive(Debug, Clone)]
pub struct Session {
    /// The course, plain data: exercises, hints, limits, and its two folders (the course's
    /// own `root`, the learner's `home`).
    pub course: Course,
    pub language: Language,
    /// The hidden checks graded with (the course's own unless `--checks` says otherwise).
    pub checks: PathBuf,
    /// The kit crate the checks are built with.
    pub kit: PathBuf,
    /// Where exercise builds go.
    pub target: PathBuf,
    pub places: Places,
}

impl Session {
    /// A session for `course` on this machine.
    pub fn new(course: Course, places: Places) -> Result<Session> {
        Ok(Session {
            checks: course.checks_dir(),
            kit: places.kit()?,
            target: places.target_for(&course.root),
            language: Language::Rust,
            course,
            places,
        })
    }

    /// The course or workspace given with `--course`, or the nearest one above `cwd`.
    pub fn open(explicit: Option<&Path>, cwd: &Path, places: Places) -> Result<Session> {
        let course = open_course(&locate(explicit, cwd)?, &places)?;
        Session::new(course, places)
    }

    /// Like [`Session::open`], but outside any course (and without `--course`) the course
    /// built into concur: grading needs a course, not the learner's.
    pub fn for_grading(explicit: Option<&Path>, cwd: &Path, places: Places) -> Result<Session> {
        let course = match locate(explicit, cwd) {
            Ok(dir) => open_course(&dir, &places)?,
            Err(_) if explicit.is_none() => Course::load(&places.builtin_course()?)?,
            Err(e) => return Err(e.into()),
        };
        Session::new(course, places)
    }

    /// The same session graded with the checks in `dir` (`--checks`, kept outside the
    /// learners' copy).
    pub fn with_checks(mut self, dir: Option<&Path>) -> Result<Session> {
        match dir {
            Some(dir) if dir.is_dir() => {
                self.checks = std::path::absolute(dir)
                    .with_context(|| format!("resolving {}", dir.display()))?;
                Ok(self)
            }
            Some(dir) => Err(CourseError::new(
                dir,
                None,
                Some("--checks"),
                "no such folder: it should hold the hidden checks, laid out like tests/hidden/"
                    .into(),
            )
            .into()),
            None => Ok(self),
        }
    }
}

/// Finds the course: `explicit` if given, else the nearest folder walking up from `start`
/// that holds `info.toml` (a course) or `concur.toml` (a learner workspace).
pub fn locate(explicit: Option<&Path>, start: &Path) -> Result<PathBuf, CourseError> {
    let found = |dir: &Path| dir.join(INFO_FILE).is_file() || workspace::is_workspace(dir);
    if let Some(dir) = explicit {
        if found(dir) {
            return Ok(dir.to_path_buf());
        }
        return Err(CourseError::new(
            dir,
            None,
            None,
            "no course here: the folder given with --course has neither an info.toml (a \
             course) nor a concur.toml (a workspace made by `concur init`)"
                .to_string(),
        ));
    }
    start
        .ancestors()
        .find(|dir| found(dir))
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            CourseError::new(
                start,
                None,
                None,
                "no course or workspace here: neither a concur.toml (a workspace made by \
                 `concur init`) nor an info.toml (a course) is in this folder or any above \
                 it. Run `concur init` to make a workspace and `cd` into it, or pass \
                 --course DIR"
                    .to_string(),
            )
        })
}

/// Loads what [`locate`] found: a course folder or a learner workspace.
fn open_course(dir: &Path, places: &Places) -> Result<Course> {
    if workspace::is_workspace(dir) && !dir.join(INFO_FILE).is_file() {
        workspace::open(dir, places)
    } else {
        Ok(Course::load(dir)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_walks_up_to_the_nearest_info_toml() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join(INFO_FILE), "").expect("write");
        let deep = tmp.path().join("exercises/02_queues");
        std::fs::create_dir_all(&deep).expect("mkdir");
        assert_eq!(locate(None, &deep).expect("found"), tmp.path());
        let other = tempfile::tempdir().expect("tempdir");
        assert!(locate(Some(other.path()), &deep).is_err());
    }
}
