//! Skipping cargo when nothing an exercise's binaries depend on has changed.
//!
//! cargo decides freshness from the files rustc reports reading (its dep-info), their
//! modification times, the manifest and the lock; a no-op `cargo build` still costs a cargo
//! start and a fingerprint walk (0.1–0.3 s). After each successful build concur records the
//! same facts per exercise — every file in the binaries' dep-info with its size and
//! modification time, the learner's and the checks' contents, the staged manifest and lock, the
//! kit's sources, and the binaries themselves — and skips cargo when all of them still match.
//! Anything missing or different means cargo runs, so the skip is never less careful than cargo.
//!
//! In: a stage, an exercise, what to build. Out: the [`Built`] result of the last build, or
//! `None`; and records written after builds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Built, Targets};
use crate::course::Exercise;
use crate::files::fnv1a;
use crate::stage::Stage;

#[derive(Serialize, Deserialize)]
struct Record {
    /// Every input file, in the order hashed.
    files: Vec<PathBuf>,
    hash: u64,
    tests: PathBuf,
    program: Option<PathBuf>,
}

/// The result of the last build of `ex`, if none of its inputs changed since.
pub fn lookup(stage: &Stage, ex: &Exercise, targets: Targets) -> Option<Built> {
    let text = std::fs::read_to_string(record_path(stage, ex, targets)).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    let hash = inputs_hash(
        stage,
        ex,
        &record.files,
        &record.tests,
        record.program.as_deref(),
    )?;
    (hash == record.hash).then_some(match targets {
        Targets::Checks => Built::Checks {
            tests: record.tests,
            program: record.program,
        },
        Targets::Program => Built::Program(record.tests),
    })
}

/// Records a successful build of `ex`; does nothing for compile errors or when the binaries'
/// dep-info cannot be read (cargo then simply runs next time).
pub fn store(stage: &Stage, ex: &Exercise, targets: Targets, built: &Built) {
    let (tests, program) = match built {
        Built::Checks { tests, program } => (tests, program.clone()),
        Built::Program(program) => (program, Some(program.clone())),
        Built::CompileError { .. } => return,
    };
    // The program compiles only the learner's file, which the checks' binary reads too.
    let Some(files) = dep_info(tests) else {
        return;
    };
    // rustc names the package's own files relative to it.
    let mut files: Vec<PathBuf> = files.into_iter().map(|f| stage.dir.join(f)).collect();
    files.sort();
    files.dedup();
    let Some(hash) = inputs_hash(stage, ex, &files, tests, program.as_deref()) else {
        return;
    };
    let record = Record {
        files,
        hash,
        tests: tests.clone(),
        program,
    };
    let path = record_path(stage, ex, targets);
    // A record that cannot be written only means the next build is not skipped.
    if let Ok(text) = serde_json::to_string(&record) {
        let _ = crate::files::write_atomically(&path, text.as_bytes());
    }
}

fn record_path(stage: &Stage, ex: &Exercise, targets: Targets) -> PathBuf {
    let kind = match targets {
        Targets::Checks => "checks",
        Targets::Program => "program",
    };
    stage
        .dir
        .join("fresh")
        .join(format!("{}.{kind}.json", ex.name))
}

/// The source files rustc read for `exe`, from the `.d` file cargo writes beside it.
fn dep_info(exe: &Path) -> Option<Vec<PathBuf>> {
    let mut d = exe.as_os_str().to_owned();
    d.push(".d");
    let text = std::fs::read_to_string(PathBuf::from(d)).ok()?;
    let first = text.lines().next()?;
    let (_, deps) = first.split_once(": ")?;
    // Paths are separated by spaces; a space inside a path is escaped with a backslash.
    let mut files = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            ' ' => {
                if !current.is_empty() {
                    files.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        files.push(PathBuf::from(current));
    }
    Some(files)
}

/// Everything the binaries of `ex` depend on, hashed; `None` when a file is missing.
fn inputs_hash(
    stage: &Stage,
    ex: &Exercise,
    files: &[PathBuf],
    tests: &Path,
    program: Option<&Path>,
) -> Option<u64> {
    let mut bytes = Vec::new();
    for file in files
        .iter()
        .map(PathBuf::as_path)
        .chain([tests])
        .chain(program)
    {
        stamp(&mut bytes, file)?;
    }
    // Contents too, for the two files a learner and an instructor edit: an editor can keep a
    // file's size and restore its modification time.
    bytes.extend(std::fs::read(stage.learner_file(ex)).ok()?);
    bytes.extend(std::fs::read(stage.check_file(ex)).ok()?);
    bytes.extend(std::fs::read(stage.dir.join("Cargo.toml")).ok()?);
    bytes.extend(std::fs::read(stage.dir.join("programs").join("Cargo.toml")).ok()?);
    bytes.extend(std::fs::read(stage.dir.join("Cargo.lock")).ok()?);
    // The kit is the one dependency whose sources can change under the same version.
    let kit = &stage.kit_dir;
    for file in crate::files::below(&kit.join("src"))
        .into_iter()
        .chain([kit.join("Cargo.toml")])
    {
        stamp(&mut bytes, &file)?;
    }
    Some(fnv1a(&bytes))
}

/// A file's path, size and modification time.
fn stamp(bytes: &mut Vec<u8>, file: &Path) -> Option<()> {
    let (len, modified) = crate::files::stamp(file)?;
    bytes.extend(file.as_os_str().as_encoded_bytes());
    bytes.extend(len.to_le_bytes());
    bytes.extend(modified.to_le_bytes());
    Some(())
}
