//! Learner workspaces: the folder `concur init` creates, holding only what a learner edits.
//!
//! In: a folder with the [`MARKER`] file. Out: a [`Course`] whose course files (info.toml,
//! solutions, hidden checks) come from the copy built into concur, kept in the cache, and whose
//! exercises and state live in the workspace. A reference solution is written beside an
//! exercise only once it passes ([`reveal_solution`]).

pub mod embedded;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::{Course, Exercise};
use crate::stage;

/// The file that makes a folder a learner workspace.
pub const MARKER: &str = "concur.toml";

const MARKER_TEXT: &str = "\
# A concur learner workspace, made by `concur init`: run `concur watch` here.
# The exercises are yours; the course's checks and solutions are built into concur.
format_version = 1
";

const GITIGNORE: &str = "target/\n.concur/\n";

const README: &str = "\
# Concurrency in Rust, with concur

Start with `concur watch`: it grades the exercise you are on every time you save it.

- `concur list` shows every exercise and where you stand.
- `concur hint NAME` gives the next hint for an exercise.
- `concur verify` grades everything (or `concur verify NAME`).
- `concur reset NAME` restores an exercise's starting file; yours is kept under `.concur/backup/`.

Each topic folder in `exercises/` starts with a README. Once an exercise passes, concur writes
a reference solution beside it (`NAME.solution.rs`) to compare with yours.
Open this folder in an editor with rust-analyzer: `Cargo.toml` makes every exercise a program.
";

/// Whether `dir` is a learner workspace.
pub fn is_workspace(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// The workspace at `dir` with the course built into concur.
pub fn open(dir: &Path) -> Result<Course> {
    let home = std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?;
    let copy = embedded::materialize()?;
    let mut course = Course::load(&copy)?;
    course.home = home;
    // The editor's view of the kit; recreated if `.concur/` was deleted or the course changed.
    refresh_kit(&course.home)?;
    Ok(course)
}

/// What `init` wrote.
pub struct Created {
    pub dir: PathBuf,
    pub exercises: usize,
}

/// Creates a workspace in `dir` (a new or empty folder).
pub fn create(dir: &Path) -> Result<Created> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        if entries.next().is_some() {
            let what = if is_workspace(dir) {
                "is already a concur workspace"
            } else {
                "is not empty"
            };
            return Err(crate::exit::UsageError(format!(
                "{} {what}: concur init only writes into a new or empty folder, so none of \
                 your files is overwritten",
                dir.display()
            ))
            .into());
        }
    }
    let course = Course::load(&embedded::materialize()?)?;
    for (path, bytes) in embedded::files_below("exercises/") {
        write_new(&dir.join(path), bytes)?;
    }
    write_new(&dir.join(MARKER), MARKER_TEXT.as_bytes())?;
    write_new(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    write_new(&dir.join("README.md"), README.as_bytes())?;
    write_new(&dir.join("Cargo.toml"), manifest(&course).as_bytes())?;
    let lock = stage::LOCK_TEMPLATE.replace(
        "name = \"concur-course-exercises\"",
        "name = \"concur-exercises\"",
    );
    write_new(&dir.join("Cargo.lock"), lock.as_bytes())?;
    refresh_kit(dir)?;
    Ok(Created {
        dir: std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
        exercises: course.exercises.len(),
    })
}

/// Where the reference solution of `ex` goes once it passes.
pub fn solution_path(course: &Course, ex: &Exercise) -> PathBuf {
    course
        .exercises_dir()
        .join(&ex.dir)
        .join(format!("{}.solution.rs", ex.name))
}

/// Writes the reference solution beside `ex` (in a workspace, once, never over a file).
/// Returns its path when it was written now.
pub fn reveal_solution(course: &Course, ex: &Exercise) -> Result<Option<PathBuf>> {
    if !course.is_workspace() {
        return Ok(None);
    }
    let path = solution_path(course, ex);
    if path.exists() {
        return Ok(None);
    }
    let solution = ex.file_in(&course.solutions_dir());
    let text = std::fs::read(&solution)
        .with_context(|| format!("reading the reference solution {}", solution.display()))?;
    write_new(&path, &text)?;
    Ok(Some(path))
}

/// The editor's manifest: every exercise is a program, with the course's dependencies.
fn manifest(course: &Course) -> String {
    let mut text = format!(
        "# For your editor (rust-analyzer): each exercise is a program of this package.\n\
         # concur grades with its own build; you never need to run cargo here.\n\
         [package]\n\
         name = \"concur-exercises\"\n\
         version = \"0.0.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         autobins = false\n\n\
         [dependencies]\n{}\n\
         [lints.rust]\n\
         # Exercises expose functions for concur's checks, which this package does not call.\n\
         dead_code = \"allow\"\n\n\
         # Not part of any enclosing workspace.\n\
         [workspace]\n",
        stage::DEPENDENCIES.replace("@KIT@", ".concur/kit")
    );
    for ex in &course.exercises {
        text.push_str(&format!(
            "\n[[bin]]\nname = \"{}\"\npath = \"exercises/{}/{}.rs\"\n",
            ex.name, ex.dir, ex.name
        ));
    }
    text
}

/// Copies the kit's sources to `.concur/kit` for the editor, when missing or changed.
fn refresh_kit(home: &Path) -> Result<()> {
    let kit = home.join(".concur").join("kit");
    let stamp = kit.join(".digest");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(embedded::DIGEST) {
        return Ok(());
    }
    for (path, bytes) in embedded::files_below("kit/") {
        let target = home.join(".concur").join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
    }
    std::fs::write(&stamp, embedded::DIGEST).with_context(|| format!("writing {}", stamp.display()))
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("writing {}", path.display()))
}
