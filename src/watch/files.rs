//! Watching the exercises folder for saves, in the ways real editors save.
//!
//! In: the exercises folder and a mode (native, polling). Out: [`Event::FileChanged`] for
//! every path an event names. The folder is watched recursively rather than the file itself,
//! because an atomic save (vim, JetBrains) replaces the file and a watch on it would be lost.
//! The loop filters by path and debounces, then compares contents, so a truncate-then-write
//! or a save that changed nothing does not grade twice.

use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{Config, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use super::event::Event;

/// How often the polling watcher looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// How files are watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Native,
    Poll,
}

/// Starts watching `dir`. Returns the watcher (dropping it stops watching), the mode that was
/// used and, when concur fell back to polling by itself, why.
pub fn watch(
    dir: &Path,
    wanted: Mode,
    tx: Sender<Event>,
) -> notify::Result<(Box<dyn Watcher + Send>, Mode, Option<String>)> {
    let handler = move |result: notify::Result<notify::Event>| {
        let event = match result {
            Ok(event) => event,
            Err(e) => {
                let _ = tx.send(Event::WatcherError(e.to_string()));
                return;
            }
        };
        if event.kind.is_access() {
            return;
        }
        for path in event.paths {
            let _ = tx.send(Event::FileChanged(path));
        }
    };
    let mut reason = None;
    let mode = if wanted == Mode::Native && is_wsl_windows_path(dir) {
        reason = Some(
            "the course is on a Windows drive under WSL, where file events do not arrive; polling instead"
                .to_string(),
        );
        Mode::Poll
    } else {
        wanted
    };
    if mode == Mode::Native {
        let native = RecommendedWatcher::new(handler.clone(), Config::default())
            .and_then(|mut w| w.watch(dir, RecursiveMode::Recursive).map(|()| w));
        match native {
            Ok(w) => return Ok((Box::new(w), Mode::Native, None)),
            Err(e) => {
                reason = Some(format!(
                    "the native file watcher could not start ({e}); polling instead"
                ))
            }
        }
    }
    let config = Config::default()
        .with_poll_interval(POLL_INTERVAL)
        // mtime alone misses two saves within the same second.
        .with_compare_contents(true);
    let mut poll = PollWatcher::new(handler, config)?;
    poll.watch(dir, RecursiveMode::Recursive)?;
    Ok((Box::new(poll), Mode::Poll, reason))
}

/// WSL's /mnt/c and friends are Windows drives: inotify sees no changes made from Windows.
fn is_wsl_windows_path(dir: &Path) -> bool {
    dir.starts_with("/mnt")
        && std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft"))
}
