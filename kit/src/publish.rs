//! Handing a check's trace to concur, which draws it as the timeline picture under the check.
//!
//! In: a trace and a title, from the kit's assertions (or a check calling [`publish`] itself).
//! Out: one JSON file per call in the folder concur names in `CONCUR_TIMELINE_DIR`; nothing
//! when the check runs outside concur. concur reads them back with [`load`].

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::trace::{Span, Trace};

/// The folder concur gives each check run for its pictures.
pub const TIMELINE_DIR_ENV: &str = "CONCUR_TIMELINE_DIR";

/// One published trace.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Published {
    /// What the spans are ("jobs", "requests", …).
    pub title: String,
    pub spans: Vec<Span>,
}

/// Whether this check runs under concur (which draws published traces itself).
pub fn under_concur() -> bool {
    std::env::var_os(TIMELINE_DIR_ENV).is_some_and(|d| !d.is_empty())
}

/// Publishes `trace` for concur's timeline picture; does nothing outside concur or when the
/// trace is empty. Failing to write is ignored: the picture is a courtesy, not a check.
pub fn publish(trace: &Trace, title: &str) {
    static SEQUENCE: AtomicUsize = AtomicUsize::new(0);
    let Some(dir) = std::env::var_os(TIMELINE_DIR_ENV).filter(|d| !d.is_empty()) else {
        return;
    };
    if trace.is_empty() {
        return;
    }
    let published = Published {
        title: title.to_string(),
        spans: trace.spans(),
    };
    let n = SEQUENCE.fetch_add(1, Ordering::SeqCst);
    let path = Path::new(&dir).join(format!("{:06}-{}.json", n, std::process::id()));
    if let Ok(text) = serde_json::to_string(&published) {
        let _ = std::fs::write(path, text);
    }
}

/// Publishes `trace` and returns what to append to a failure message: nothing under concur,
/// which draws the published trace below the check, else the timeline picture.
pub fn picture(trace: &Trace, title: &str) -> String {
    publish(trace, title);
    if under_concur() {
        String::new()
    } else {
        format!(
            "\n\ntimeline:\n{}",
            trace.timeline(crate::check::TIMELINE_WIDTH)
        )
    }
}

/// Every trace published into `dir`, in the order published.
pub fn load(dir: &Path) -> Vec<Published> {
    load_files(dir, |name| {
        !name.starts_with(crate::experiment::MEASUREMENT_PREFIX)
    })
}

/// The JSON files in `dir` whose names `keep` accepts, parsed, in name (publishing) order;
/// unreadable or garbled files are skipped.
pub(crate) fn load_files<T: serde::de::DeserializeOwned>(
    dir: &Path,
    keep: impl Fn(&str) -> bool,
) -> Vec<T> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".json") && keep(n))
        })
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| serde_json::from_str(&text).ok())
        .collect()
}
