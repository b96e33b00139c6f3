//! Learner workspaces: the folder `concur init` creates, holding only what a learner edits.
//!
//! In: a folder with the [`MARKER`] file. Out: a [`Course`] whose course files (info.toml,
//! solutions, hidden checks) come from the copy built into concur, kept in the cache (or, for
//! a workspace made with `init --course DIR`, from that course folder), and whose exercises
//! and state live in the workspace. A reference solution is written beside an
//! exercise only once it passes ([`reveal_solution`]); a starting file is restored with a
//! backup of the learner's version ([`restore`]).

mod restore;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::builtin;
use crate::course::{Course, CourseError, Exercise};
use crate::error::Error;
use crate::lang::rust::{DEPENDENCIES, LOCK_TEMPLATE};
use crate::places::Places;

pub use restore::{restore, Restored};

/// The file that makes a folder a learner workspace.
pub const MARKER: &str = "concur.toml";

const MARKER_TEXT: &str = "\
# A concur learner workspace, made by `concur init`: run `concur watch` here.
# The exercises are yours; the course's checks and solutions are built into concur.
format_version = 1
";

/// What git leaves out: builds and concur's own state, but not the kit's sources, so a clone of
/// the workspace (a GitHub Classroom template, say) builds in the editor before concur runs.
const GITIGNORE: &str = "target/\n.concur/*\n!.concur/kit/\n";

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

/// The workspace marker's fields.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Marker {
    format_version: toml::Spanned<u32>,
    /// The course folder the workspace was made from, when not the built-in course.
    course: Option<toml::Spanned<PathBuf>>,
}

/// Reads `concur.toml`: it must say `format_version = 1`, and nothing this concur does not
/// know; returns the course folder it names, if any. Errors name the file, the line and the
/// field.
fn check_marker(file: &Path) -> Result<Option<PathBuf>, CourseError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CourseError::new(file, None, None, format!("cannot read it: {e}")))?;
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let marker: Marker = toml::from_str(&text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        let field = ["format_version", "course"]
            .into_iter()
            .find(|f| message.contains(f));
        CourseError::new(file, e.span().map(|s| line_of(s.start)), field, message)
    })?;
    let version = *marker.format_version.get_ref();
    if version != 1 {
        return Err(CourseError::new(
            file,
            Some(line_of(marker.format_version.span().start)),
            Some("format_version"),
            format!(
                "format_version {version} is not one this concur reads (it reads 1); a newer \
                 concur made this workspace?"
            ),
        ));
    }
    let Some(course) = marker.course else {
        return Ok(None);
    };
    let line = line_of(course.span().start);
    let course = course.into_inner();
    if !course.join(crate::course::INFO_FILE).is_file() {
        return Err(CourseError::new(
            file,
            Some(line),
            Some("course"),
            format!(
                "the course this workspace was made from, {}, has no info.toml (moved or \
                 deleted?)",
                course.display()
            ),
        ));
    }
    Ok(Some(course))
}

/// The workspace at `dir`, with the course built into concur or the one it was made from.
pub fn open(dir: &Path, places: &Places) -> Result<Course, Error> {
    let from = check_marker(&dir.join(MARKER))?;
    let home = std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?;
    let source = match from {
        Some(course) => course,
        None => places.builtin_course()?,
    };
    let mut course = Course::load(&source)?;
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

/// Creates a workspace in `dir` (a new or empty folder), from the course built into concur or
/// from the course folder `from`.
pub fn create(dir: &Path, from: Option<&Path>, places: &Places) -> Result<Created, Error> {
    let usage = Error::Usage;
    if dir.exists() && !dir.is_dir() {
        return Err(usage(format!(
            "{} is a file: concur init makes a new folder for the workspace; give a folder \
             name (default: concur-exercises)",
            dir.display()
        )));
    }
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Some(enclosing) = absolute
        .ancestors()
        .skip(1)
        .find(|a| is_workspace(a) || a.join(crate::course::INFO_FILE).is_file())
    {
        let what = if is_workspace(enclosing) {
            "a concur workspace"
        } else {
            "a concur course"
        };
        return Err(usage(format!(
            "{} is inside {what} ({}): a workspace inside it would be graded as part of it; \
             run concur init somewhere outside",
            dir.display(),
            enclosing.display()
        )));
    }
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        if entries.next().is_some() {
            let what = if is_workspace(dir) {
                "is already a concur workspace"
            } else {
                "is not empty"
            };
            return Err(usage(format!(
                "{} {what}: concur init only writes into a new or empty folder, so none of \
                 your files is overwritten",
                dir.display()
            )));
        }
    }
    let marker = match from {
        None => {
            let course = Course::load(&places.builtin_course()?)?;
            for (path, bytes) in builtin::files_below("exercises/") {
                write_new(&dir.join(path), bytes)?;
            }
            (course, MARKER_TEXT.to_string())
        }
        Some(from) => {
            let root = std::path::absolute(from)
                .with_context(|| format!("resolving {}", from.display()))?;
            if is_workspace(&root) {
                return Err(usage(format!(
                    "{} is a learner workspace, not a course: --course names a course folder \
                     (one with an info.toml)",
                    from.display()
                )));
            }
            let course = Course::load(&root)?;
            copy_new(&root.join("exercises"), &dir.join("exercises"))?;
            let text = toml::to_string(&toml::Table::from_iter([(
                "course".to_string(),
                toml::Value::String(root.display().to_string()),
            )]))
            .context("writing the course path")?;
            (course, format!("{MARKER_TEXT}{text}"))
        }
    };
    let (course, marker) = marker;
    write_new(&dir.join(MARKER), marker.as_bytes())?;
    write_new(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    write_new(&dir.join("README.md"), README.as_bytes())?;
    write_new(&dir.join("Cargo.toml"), manifest(&course).as_bytes())?;
    let lock = LOCK_TEMPLATE.replace(
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
        DEPENDENCIES.replace("@KIT@", ".concur/kit")
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
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(builtin::DIGEST) {
        return Ok(());
    }
    for (path, bytes) in builtin::files_below("kit/") {
        let target = home.join(".concur").join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
    }
    std::fs::write(&stamp, builtin::DIGEST).with_context(|| format!("writing {}", stamp.display()))
}

/// Copies the folder `from` to `to`, file by file, never over a file.
fn copy_new(from: &Path, to: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let path = entry.path();
        if path.is_dir() {
            copy_new(&path, &to.join(entry.file_name()))?;
        } else {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            write_new(&to.join(entry.file_name()), &bytes)?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_marker_names_file_line_and_field() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join(MARKER);
        for (text, line, needle) in [
            ("[[[", Some(1), "invalid"),
            ("", Some(1), "format_version"),
            ("format_version = 2\n", Some(1), "format_version 2"),
            ("format_version = 1\ncolour = true\n", Some(2), "colour"),
        ] {
            std::fs::write(&file, text).expect("write");
            let err = check_marker(&file).expect_err(text);
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.to_string().contains(needle), "{text:?}: {err}");
        }
        std::fs::write(&file, MARKER_TEXT).expect("write");
        check_marker(&file).expect("the marker init writes is valid");
    }
}
