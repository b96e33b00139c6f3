//! The learner's progress: `.concur/state.json` in the course folder.
//!
//! In: results of grading and hints asked for. Out: per exercise, done / pending / not
//! started and how many hints were shown. Written atomically (temporary file, then rename);
//! a missing file means a fresh start and a corrupt one is rebuilt with a warning, never a
//! crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

const STATE_VERSION: u32 = 1;

/// Where an exercise stands for this learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    NotStarted,
    Pending,
    Done,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExerciseState {
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub hints_shown: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    exercises: BTreeMap<String, ExerciseState>,
}

/// The progress of one learner in one course.
#[derive(Debug)]
pub struct State {
    path: PathBuf,
    exercises: BTreeMap<String, ExerciseState>,
}

impl State {
    /// Reads the state of the learner whose home is `home`. The returned warning, if any, says the
    /// file was unreadable and progress starts over.
    pub fn load(home: &Path) -> (State, Option<String>) {
        let path = home.join(".concur").join("state.json");
        let fresh = |warning| {
            (
                State {
                    path: path.clone(),
                    exercises: BTreeMap::new(),
                },
                warning,
            )
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return fresh(None),
            Err(e) => {
                return fresh(Some(format!(
                    "could not read {} ({e}); progress starts over",
                    path.display()
                )))
            }
        };
        match serde_json::from_str::<File>(&text) {
            Ok(file) if file.version == STATE_VERSION => (
                State {
                    path,
                    exercises: file.exercises,
                },
                None,
            ),
            Ok(file) => fresh(Some(format!(
                "{} has version {}, expected {STATE_VERSION}; progress starts over",
                path.display(),
                file.version
            ))),
            Err(e) => fresh(Some(format!(
                "{} is corrupt ({e}); progress starts over",
                path.display()
            ))),
        }
    }

    /// Like [`State::load`], for a command: a warning is printed once, and the unreadable file
    /// is set aside as `state.json.corrupt` and replaced by a fresh one, so the next command
    /// does not warn again.
    pub fn open(home: &Path) -> State {
        let (state, warning) = State::load(home);
        if let Some(warning) = warning {
            eprintln!("warning: {warning}");
            let aside = state.path.with_extension("json.corrupt");
            let _ = std::fs::rename(&state.path, &aside);
            if state.save().is_ok() {
                eprintln!("  (the old file is kept as {})", aside.display());
            }
        }
        state
    }

    pub fn get(&self, name: &str) -> ExerciseState {
        self.exercises.get(name).cloned().unwrap_or_default()
    }

    pub fn set_status(&mut self, name: &str, status: Status) {
        self.exercises.entry(name.to_string()).or_default().status = status;
    }

    pub fn set_hints_shown(&mut self, name: &str, shown: usize) {
        self.exercises
            .entry(name.to_string())
            .or_default()
            .hints_shown = shown;
    }

    /// Writes the state atomically.
    pub fn save(&self) -> Result<()> {
        let file = File {
            version: STATE_VERSION,
            exercises: self.exercises.clone(),
        };
        let text = serde_json::to_string_pretty(&file).context("serializing the state")?;
        crate::files::write_atomically(&self.path, (text + "\n").as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_survives_corruption() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (mut state, warning) = State::load(tmp.path());
        assert!(warning.is_none());
        state.set_status("pool", Status::Done);
        state.set_hints_shown("pool", 2);
        state.save().expect("save");
        let (again, _) = State::load(tmp.path());
        assert_eq!(again.get("pool").status, Status::Done);
        assert_eq!(again.get("pool").hints_shown, 2);
        assert_eq!(again.get("other").status, Status::NotStarted);

        std::fs::write(tmp.path().join(".concur/state.json"), "{ not json").expect("write");
        let (rebuilt, warning) = State::load(tmp.path());
        assert!(warning.expect("warned").contains("corrupt"));
        assert_eq!(rebuilt.get("pool").status, Status::NotStarted);

        // A command warns once: it sets the corrupt file aside and starts a fresh one.
        State::open(tmp.path());
        assert!(tmp.path().join(".concur/state.json.corrupt").is_file());
        assert!(
            State::load(tmp.path()).1.is_none(),
            "the next load does not warn"
        );
    }
}
