//! `concur dev new NAME --dir TOPIC`: a new exercise for course authors, ready to fill in.
//!
//! In: a course folder (not a learner workspace; a new course's `info.toml` may have no
//! exercise yet), the exercise's name and topic folder. Out:
//! a starting file, a reference solution and hidden checks from small templates (the starting
//! file fails its check, the solution passes, so `concur dev check` is sound from the first
//! minute), and the exercise's entry appended to `info.toml`. Nothing existing is overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error::Result;

use crate::cli::DevNewArgs;
use crate::course::{Course, INFO_FILE};
use crate::error::Error;
use crate::exit;

const STARTING: &str = "\
// @NAME@: say here what the learner builds and why it matters; concur shows this file to
// the learner as it is, so it is the exercise's first lesson.
//
// Run `concur watch` and edit this file until every check passes.

/// The answer the checks ask for.
pub fn answer() -> u32 {
    // TODO: compute the answer.
    0
}

fn main() {
    println!(\"{}\", answer());
}
";

const SOLUTION: &str = "\
// @NAME@: the reference solution, shown to a learner once their own version passes.

/// The answer the checks ask for.
pub fn answer() -> u32 {
    42
}

fn main() {
    println!(\"{}\", answer());
}
";

const CHECKS: &str = "\
//! Hidden checks of `@NAME@`: each `#[test]` is one check the learner sees by name.

use crate::exercise::*;

#[test]
fn gives_the_answer() {
    assert_eq!(answer(), 42, \"answer() should be 42\");
}
";

pub fn run(root: &Path, args: &DevNewArgs, out: &mut dyn Write) -> Result<u8> {
    if crate::workspace::is_workspace(root) {
        return Err(Error::Usage(
            "dev new adds an exercise to a course folder (one with an info.toml), not to a \
             learner workspace"
                .to_string(),
        ));
    }
    let identifier = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if !identifier(&args.name) {
        return Err(Error::Usage(format!(
            "`{}` cannot name an exercise: use lowercase letters, digits and `_`, starting \
             with a letter (it becomes a Rust module and a file name)",
            args.name
        )));
    }
    let topic_ok = !args.dir.is_empty()
        && args
            .dir
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !topic_ok {
        return Err(Error::Usage(format!(
            "`{}` cannot name a topic folder: one folder name of letters, digits, `_` or `-` \
             (such as 02_queues)",
            args.dir
        )));
    }
    let info = root.join(INFO_FILE);
    let text =
        std::fs::read_to_string(&info).with_context(|| format!("reading {}", info.display()))?;
    // A new course has no exercise yet, which is the one thing a course may not lack.
    let names: Vec<String> = if text.contains("[[exercises]]") {
        Course::load(root)?
            .exercises
            .into_iter()
            .map(|e| e.name)
            .collect()
    } else {
        Vec::new()
    };
    if names.contains(&args.name) {
        return Err(Error::Usage(format!(
            "the course already has an exercise named `{}`",
            args.name
        )));
    }
    let file = format!("{}/{}.rs", args.dir, args.name);
    let files: Vec<(PathBuf, &str)> = vec![
        (root.join("exercises").join(&file), STARTING),
        (root.join("solutions").join(&file), SOLUTION),
        (root.join("tests/hidden").join(&file), CHECKS),
    ];
    let relative = |path: &Path| crate::course::relative_to(root, path);
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Usage(format!(
            "{} already exists: dev new never overwrites a file",
            relative(existing)
        )));
    }
    for (path, template) in &files {
        let parent = path.parent().context("a file has a folder")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        std::fs::write(path, template.replace("@NAME@", &args.name))
            .with_context(|| format!("writing {}", path.display()))?;
        writeln!(out, "wrote {}", relative(path))?;
    }
    let mut entry = std::fs::OpenOptions::new()
        .append(true)
        .open(&info)
        .with_context(|| format!("opening {}", info.display()))?;
    write!(
        entry,
        "\n[[exercises]]\nname = \"{}\"\ndir = \"{}\"\nhints = [\"Write the first hint here.\"]\n",
        args.name, args.dir
    )
    .with_context(|| format!("writing {}", info.display()))?;
    writeln!(
        out,
        "added `{}` to {INFO_FILE} (exercise {}).\nNext: write the lesson and the checks, \
         then run `concur dev check`.",
        args.name,
        names.len() + 1
    )?;
    Ok(exit::OK)
}
