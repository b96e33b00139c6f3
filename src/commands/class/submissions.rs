//! A class of submissions on disk: who they are, where their exercises are, and whether they
//! changed since they were last graded.
//!
//! In: the SUBMISSIONS folder and the course. Out: [`Submission`]s in name order, each with a
//! digest of everything that decides its grade (its exercise files, the course's checks and
//! points, concur's version), compared with the one stored beside its last report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::Course;
use crate::files::fnv1a;

/// One learner's submission.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The subfolder's name.
    pub learner: String,
    /// The learner's `exercises/`, or `None` when the folder has none.
    pub exercises: Option<PathBuf>,
    /// Everything that decides this submission's grade, hashed.
    pub digest: String,
}

/// Every subfolder of `dir` except hidden ones and `skip` (the output folder, if inside).
pub fn discover(
    dir: &Path,
    course: &Course,
    checks: &Path,
    skip: &Path,
) -> Result<Vec<Submission>> {
    let course_digest = course_digest(course, checks);
    let dir = &std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?;
    let mut submissions = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let same_as_skip = std::fs::canonicalize(&path).ok() == std::fs::canonicalize(skip).ok();
        if !path.is_dir() || name.starts_with('.') || same_as_skip {
            continue;
        }
        let exercises = Some(path.join("exercises")).filter(|p| p.is_dir());
        let digest = match &exercises {
            Some(tree) => submission_digest(course, tree, course_digest),
            None => format!("none-{course_digest:016x}"),
        };
        submissions.push(Submission {
            learner: name,
            exercises,
            digest,
        });
    }
    submissions.sort_by(|a, b| a.learner.cmp(&b.learner));
    Ok(submissions)
}

/// concur itself (a new build may grade differently), info.toml and every hidden check file.
fn course_digest(course: &Course, checks: &Path) -> u64 {
    let mut bytes = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    let exe = std::env::current_exe().ok();
    if let Some((len, modified)) = exe.as_deref().and_then(crate::files::stamp) {
        bytes.extend(len.to_le_bytes());
        bytes.extend(modified.to_le_bytes());
    }
    bytes.extend(std::fs::read(course.root.join("info.toml")).unwrap_or_default());
    for ex in &course.exercises {
        bytes.extend(ex.name.as_bytes());
        bytes.extend(std::fs::read(ex.file_in(checks)).unwrap_or_default());
    }
    fnv1a(&bytes)
}

/// The course digest and the content of every exercise file of the submission (a missing
/// file hashes differently from an empty one).
fn submission_digest(course: &Course, tree: &Path, course_digest: u64) -> String {
    let mut bytes = course_digest.to_le_bytes().to_vec();
    for ex in &course.exercises {
        bytes.extend(ex.name.as_bytes());
        match std::fs::read(ex.file_in(tree)) {
            Ok(content) => {
                bytes.push(1);
                bytes.extend((content.len() as u64).to_le_bytes());
                bytes.extend(content);
            }
            Err(_) => bytes.push(0),
        }
    }
    format!("{:016x}", fnv1a(&bytes))
}
