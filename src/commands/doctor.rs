//! `concur doctor`: what this machine gives concur — the toolchain, where builds go, and which
//! layers of the sandbox are in force, with the reason for any that is missing.
//!
//! In: the environment, and the course if there is one here. Out: a short report; exit 0 when
//! the toolchain answers, 1 when it does not (nothing can be built then).

use std::io::Write;
use std::process::Command;

use crate::error::Result;

use crate::exit;
use crate::places::Places;
use crate::sandbox::{self, Layer};
use crate::session::Session;

pub fn run(places: &Places, session: Option<&Session>, out: &mut dyn Write) -> Result<u8> {
    writeln!(out, "concur {}", env!("CARGO_PKG_VERSION"))?;
    let mut toolchain_ok = true;
    for (label, tool) in [("cargo", places.cargo.clone()), ("rustc", "rustc".into())] {
        let mut cmd = Command::new(&tool);
        cmd.arg("--version");
        match sandbox::output(cmd) {
            Ok(o) if o.status.success() => writeln!(
                out,
                "  {label:<9}{}",
                String::from_utf8_lossy(&o.stdout).trim()
            )?,
            _ => {
                toolchain_ok = false;
                writeln!(
                    out,
                    "  {label:<9}not found: install Rust with rustup (https://rustup.rs)"
                )?;
            }
        }
    }
    match session {
        Some(session) => {
            writeln!(out, "  course   {}", session.course.home.display())?;
            writeln!(out, "  target   {}", session.target.display())?;
        }
        None => writeln!(
            out,
            "  course   none here (run inside a course or workspace)"
        )?,
    }
    if let Some(cache) = &places.cache {
        writeln!(out, "  cache    {}", cache.display())?;
    }

    let layers = sandbox::layers();
    writeln!(out, "\nsandbox layers for learner code:")?;
    let always = Layer::InForce;
    let landlock = format!(
        "writes only in the scratch folder; the course, its checks and solutions, builds, \
         concur's cache and your home unreadable (Landlock ABI {})",
        layers.landlock_abi
    );
    let rows: [(&str, &str, &Layer); 6] = [
        (
            "limits",
            "own process group, wall-clock limit, output cap, no core files, file size \
             and memory limits",
            &always,
        ),
        (
            "processes",
            "whatever a run leaves behind is adopted and killed, whatever session or \
             group it moved to",
            &layers.subreaper,
        ),
        (
            "scratch",
            "a fresh folder is the working folder, HOME and TMPDIR of every run",
            &always,
        ),
        ("files", &landlock, &layers.files),
        (
            "signals",
            "cannot signal concur or any process outside its run (Landlock scope)",
            &layers.signals,
        ),
        (
            "network",
            "loopback only (a network namespace in a user namespace)",
            &layers.network,
        ),
    ];
    for (name, what, layer) in rows {
        let (mark, text) = match layer {
            Layer::InForce => ("✓", what.to_string()),
            Layer::Missing(why) => ("✗", format!("missing: {why}")),
        };
        let mut lines = wrap(&text, WIDTH - INDENT).into_iter();
        writeln!(
            out,
            "  {mark} {name:<10} {}",
            lines.next().unwrap_or_default()
        )?;
        for line in lines {
            writeln!(out, "{:INDENT$}{line}", "")?;
        }
    }
    Ok(if toolchain_ok { exit::OK } else { exit::FAILED })
}

/// The report fits 80 columns.
const WIDTH: usize = 80;
/// Where a layer's description starts.
const INDENT: usize = 15;

/// `text` in lines of at most `width` columns, broken between words only.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
        .into_iter()
        .filter(|line| !line.is_empty())
        .map(|line| line.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_breaks_between_words() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("a-very-long-word x", 4), ["a-very-long-word", "x"]);
        assert!(wrap("", 10).is_empty());
    }
}
