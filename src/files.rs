//! Small facts about files, for the caches that decide whether work can be skipped (build
//! freshness, check lists, class grading) and for `dev check`'s scan of the course.
//!
//! In: paths. Out: a file's size-and-modification-time stamp; every file below a folder.

use std::path::{Path, PathBuf};

/// A file's size and modification time (nanoseconds since the epoch): what changes when the
/// file is rewritten. `None` when it cannot be read.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((meta.len(), modified.as_nanos()))
}

/// Every file below `dir`, at any depth, sorted; nothing for a folder that cannot be read.
pub fn below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(below(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}
