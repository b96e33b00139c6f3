//! Keeping the shared target folder small: rustc's incremental state is kept only for the
//! crates built most recently.
//!
//! In: the target folder, after cargo built into it. Out: the incremental folders of all but
//! the [`KEEP`] most recently built crates removed. Incremental state is what makes the next
//! build of an exercise after a save quick (about half the time of a build without it), and it
//! is 5–14 MiB per exercise: a learner edits one exercise at a time, so the state of the
//! exercises left behind is half the disk of a finished course for nothing. An exercise
//! taken up again is built once without it, then has it again.

use std::path::Path;
use std::time::SystemTime;

/// How many crates keep their incremental state: the exercise being edited, the few next to
/// it, and the kit's.
pub const KEEP: usize = 8;

/// Removes the incremental state of every crate but the [`KEEP`] most recently built ones.
/// A folder a compiler is working in (a session folder ending in `-working`, which another
/// concur sharing the target folder may be filling) is never touched. Best effort: what
/// cannot be read or removed stays.
pub fn incremental(target_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(target_dir.join("debug").join("incremental")) else {
        return;
    };
    let mut crates: Vec<(SystemTime, std::path::PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    crates.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (_, dir) in crates.into_iter().skip(KEEP) {
        if !in_use(&dir) {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// A compiler has a session open in `dir`.
fn in_use(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with("-working"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{create_dir_all, File, FileTimes};
    use std::time::Duration;

    fn crate_dir(root: &Path, name: &str, age_s: u64, session: &str) -> std::path::PathBuf {
        let dir = root.join("debug").join("incremental").join(name);
        create_dir_all(dir.join(session)).unwrap();
        let at = SystemTime::now() - Duration::from_secs(age_s);
        File::open(&dir)
            .unwrap()
            .set_times(FileTimes::new().set_modified(at))
            .unwrap();
        dir
    }

    #[test]
    fn only_the_most_recent_crates_keep_their_state() {
        let root = tempfile::tempdir().unwrap();
        let dirs: Vec<_> = (0..KEEP + 3)
            .map(|i| {
                crate_dir(
                    root.path(),
                    &format!("ex{i}-abc"),
                    i as u64 * 60,
                    "s-1-2-done",
                )
            })
            .collect();
        // The oldest one has a compiler at work in it.
        let busy = crate_dir(root.path(), "busy-abc", 3600, "s-9-9-working");
        incremental(root.path());
        for (i, dir) in dirs.iter().enumerate() {
            assert_eq!(dir.exists(), i < KEEP, "{}", dir.display());
        }
        assert!(busy.exists(), "a crate being compiled lost its state");
    }

    #[test]
    fn a_target_folder_without_incremental_state_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        incremental(root.path());
        assert!(root.path().exists());
    }
}
