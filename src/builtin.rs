//! The course built into the binary (see `build.rs`), and its copy in the user's cache.
//!
//! In: the embedded files. Out: a folder in the cache holding `info.toml`, `exercises/` (the
//! pristine starting files, for `reset`), `solutions/`, `tests/hidden/` and `kit/` — written
//! once per course version, atomically, so concurrent concur processes never see half a copy.
//! Learners never work in it; their workspace holds only exercises.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

include!(concat!(env!("OUT_DIR"), "/embedded_course.rs"));

/// A file marking a complete copy.
const COMPLETE: &str = ".complete";

/// The embedded files below `prefix` (e.g. `exercises/`), with their paths.
pub fn files_below<'a>(
    prefix: &'a str,
) -> impl Iterator<Item = (&'static str, &'static [u8])> + 'a {
    FILES
        .iter()
        .copied()
        .filter(move |(path, _)| path.starts_with(prefix))
}

/// One embedded file.
pub fn file(path: &str) -> Option<&'static [u8]> {
    FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, bytes)| *bytes)
}

/// The embedded course copied into the cache (once per course version); returns its folder.
pub fn materialize(cache: &Path) -> Result<PathBuf> {
    let dir = cache.join(format!("course-{DIGEST}"));
    if dir.join(COMPLETE).is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(cache).with_context(|| format!("creating {}", cache.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".course-")
        .tempdir_in(cache)
        .with_context(|| format!("creating a folder in {}", cache.display()))?;
    for (path, bytes) in FILES {
        write(&staging.path().join(path), bytes)?;
    }
    write(&staging.path().join(COMPLETE), b"")?;
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, &dir) {
        // Another concur finished first: its copy is identical.
        let _ = std::fs::remove_dir_all(&staged);
        if !dir.join(COMPLETE).is_file() {
            return Err(e).with_context(|| format!("creating {}", dir.display()));
        }
    }
    Ok(dir)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}
