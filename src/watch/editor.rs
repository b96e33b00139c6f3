//! The `e` key: the exercise opens in the learner's own editor.
//!
//! In: the exercise file, and on a terminal the key reader to pause. Out: the editor run with
//! the terminal to itself (raw mode off, concur reading no keys) until it exits; on a pipe it
//! is started and left to run. Either way it is a foreground child of the sandbox's registry
//! (in concur's own process group, for the terminal), so no grade's orphan sweep stops it. The command is `$CONCUR_EDITOR`, else `$VISUAL`, else
//! `$EDITOR`, run by `sh` so it may carry arguments (`code --wait`, `emacsclient -t`).

use std::path::Path;
use std::process::{Command, Stdio};

use super::input::KeyReader;

/// Where the editor command is looked for, first match wins.
const VARIABLES: [&str; 3] = ["CONCUR_EDITOR", "VISUAL", "EDITOR"];

/// Opens `file`; an `Err` is a message for the learner.
pub fn open(file: &Path, keys: Option<&KeyReader>) -> Result<(), String> {
    let Some(editor) = VARIABLES
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
    else {
        return Err(
            "no editor is set: set $EDITOR (or $VISUAL, or $CONCUR_EDITOR), for \
                    example `export EDITOR=vim`, and e opens the exercise in it"
                .to_string(),
        );
    };
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("concur-editor")
        .arg(file);
    let Some(keys) = keys else {
        command.stdin(Stdio::null());
        let child = crate::sandbox::spawn_foreground(command)
            .map_err(|e| format!("could not start `{editor}`: {e}"))?;
        std::thread::spawn(move || child.wait());
        return Ok(());
    };
    keys.pause();
    let _ = crossterm::terminal::disable_raw_mode();
    let status = crate::sandbox::spawn_foreground(command).and_then(|child| child.wait());
    let _ = crossterm::terminal::enable_raw_mode();
    keys.resume();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("`{editor}` ended with {s}")),
        Err(e) => Err(format!("could not start `{editor}`: {e}")),
    }
}
