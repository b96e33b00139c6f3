//! `concur init [DIR]`: create a learner workspace from the course built into concur (or,
//! with `--course DIR`, from that course folder).
//!
//! In: a folder (new or empty). Out: the exercises and topic READMEs, a `Cargo.toml` for the
//! editor, `.gitignore`, a README; no solutions and no hidden checks. Exit 0, or 2 when the
//! folder is not empty.

use std::io::Write;
use std::path::Path;

use crate::error::Result;

use crate::cli::InitArgs;
use crate::exit;
use crate::places::Places;
use crate::workspace;

pub fn run(
    args: &InitArgs,
    course: Option<&Path>,
    places: &Places,
    out: &mut dyn Write,
) -> Result<u8> {
    let created = workspace::create(&args.dir, course, places)?;
    writeln!(
        out,
        "Created a workspace with {} exercises in {}\n\nNext:\n  cd {}\n  concur watch",
        created.exercises,
        created.dir.display(),
        args.dir.display()
    )?;
    Ok(exit::OK)
}
