//! Embeds the course into the binary, so `concur init` can create a learner workspace anywhere
//! and grade it without the course folder: `info.toml`, `exercises/`, `solutions/`,
//! `tests/hidden/` and the kit's sources.
//!
//! In: those files. Out: `$OUT_DIR/embedded_course.rs`, a table of (path, bytes) and a digest
//! of the whole set; cargo reruns this when any of them changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a learner workspace needs from the course, relative to the repository root.
const ROOTS: &[&str] = &[
    "info.toml",
    "exercises",
    "solutions",
    "tests/hidden",
    "kit/Cargo.toml",
    "kit/src",
    "kit/macros/Cargo.toml",
    "kit/macros/src",
];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for entry in ROOTS {
        println!("cargo:rerun-if-changed={entry}");
        collect(&root, &root.join(entry), &mut files);
    }
    files.sort();

    // FNV-1a over every path and content: names the course's cache folder.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut table = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        let bytes = std::fs::read(abs).expect("reading a course file");
        for b in rel.as_bytes().iter().chain([0u8].iter()).chain(&bytes) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        writeln!(
            table,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    table.push_str("];\n");
    writeln!(table, "pub const DIGEST: &str = \"{hash:016x}\";").expect("writing to a String");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("embedded_course.rs"), table).expect("writing the embedded course");
}

/// Every file below `path` (or `path` itself), skipping snapshots and editor leftovers.
fn collect(root: &Path, path: &Path, files: &mut Vec<(String, PathBuf)>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("reading a course folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            collect(root, &entry, files);
        }
    } else if path.is_file() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let skip = name.starts_with('.') || name.ends_with(".snap") || name.ends_with('~');
        if !skip {
            let rel = path
                .strip_prefix(root)
                .expect("below the root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.to_path_buf()));
        }
    }
}
