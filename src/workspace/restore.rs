//! Restoring an exercise's starting file, keeping the learner's version (`concur reset`, and
//! `x` in watch).
//!
//! In: the course and an exercise. Out: the learner's file saved under `.concur/backup/`, then
//! the starting file written back, and the exercise marked not started. The starting file
//! comes from the course's git history (the committed version), the only pristine copy a
//! course folder has (or, for a copy of the course built into concur outside git, from that
//! built-in course); in a learner workspace, from the course built into concur.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};

use crate::course::{Course, Exercise};
use crate::error::Result;
use crate::state::{State, Status};

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// The file already was the starting file.
    Unchanged,
    /// The starting file is back; the learner's version, if there was one, is in `backup`.
    Restored { backup: Option<PathBuf> },
}

/// Restores the starting file of `ex`, saving the learner's version under
/// `.concur/backup/` first, and marks the exercise not started.
pub fn restore(course: &Course, ex: &Exercise) -> Result<Restored> {
    let file = ex.file_in(&course.exercises_dir());
    let rel = course.relative(&file);
    // A workspace's pristine copy is the course built into concur; a course folder's is its
    // git history.
    let original = if course.is_workspace() {
        let pristine = course.starting_file(ex);
        std::fs::read(&pristine)
            .with_context(|| format!("reading the starting version {}", pristine.display()))?
    } else {
        match committed_version(&course.root, &file) {
            Ok(committed) => committed,
            Err(git) => built_in_version(course, ex).ok_or_else(|| {
                crate::error::Error::Usage(format!(
                    "cannot find the starting version of {rel}: concur restores a course \
                     folder's files from its git history, and git has none ({git:#}). Commit \
                     the course's starting files first, or work in a workspace made by \
                     `concur init`"
                ))
            })?,
        }
    };

    let mut backup = None;
    if file.is_file() {
        let current = std::fs::read(&file).with_context(|| format!("reading {rel}"))?;
        if current == original {
            return Ok(Restored::Unchanged);
        }
        let path = backup_path(&course.home, &ex.name);
        std::fs::create_dir_all(path.parent().context("backup has a folder")?)
            .context("creating .concur/backup")?;
        std::fs::write(&path, &current)
            .with_context(|| format!("saving your version to {}", path.display()))?;
        backup = Some(path);
    }
    crate::files::write_atomically(&file, &original).with_context(|| format!("restoring {rel}"))?;

    let mut state = State::open(&course.home);
    state.set_status(&ex.name, Status::NotStarted);
    state.save()?;
    Ok(Restored::Restored { backup })
}

/// The file's content as last committed in the git repository holding the course.
fn committed_version(root: &Path, file: &Path) -> anyhow::Result<Vec<u8>> {
    let mut git = Command::new("git");
    git.arg("-C")
        .arg(root)
        .args(["show", "--no-textconv"])
        .arg(format!(
            "HEAD:./{}",
            file.strip_prefix(root).unwrap_or(file).display()
        ));
    let output = crate::sandbox::output(git).context("running git")?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}

/// The starting file of `ex` in the course built into concur, when `course` is that course (a
/// copy of it outside git): same `info.toml`, same file.
fn built_in_version(course: &Course, ex: &Exercise) -> Option<Vec<u8>> {
    let info = std::fs::read(course.root.join(crate::course::INFO_FILE)).ok()?;
    if crate::builtin::file(crate::course::INFO_FILE)? != info.as_slice() {
        return None;
    }
    let path = format!("exercises/{}/{}.rs", ex.dir, ex.name);
    crate::builtin::file(&path).map(<[u8]>::to_vec)
}

fn backup_path(root: &Path, name: &str) -> PathBuf {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let dir = root.join(".concur").join("backup");
    let mut path = dir.join(format!("{name}-{secs}.rs"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{name}-{secs}-{n}.rs"));
        n += 1;
    }
    path
}
