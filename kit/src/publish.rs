//! Handing a check's trace to concur, which draws it as the timeline picture under the check.
//!
//! In: a trace and a title, from the kit's assertions (or a check calling [`publish`] itself).
//! Out: one [`Message::Timeline`] on the check's channel to concur (see `harness.rs`); nothing
//! when the check runs outside concur.

use serde::{Deserialize, Serialize};

use crate::harness::{self, Message};
use crate::trace::{Span, Trace};

/// One published trace.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Published {
    /// What the spans are ("jobs", "requests", …).
    pub title: String,
    pub spans: Vec<Span>,
}

/// Whether this check runs under concur (which draws published traces itself).
pub fn under_concur() -> bool {
    harness::under_concur()
}

/// Publishes `trace` for concur's timeline picture; does nothing outside concur or when the
/// trace is empty. The picture is a courtesy, not a verdict.
pub fn publish(trace: &Trace, title: &str) {
    if trace.is_empty() || !under_concur() {
        return;
    }
    harness::send(&Message::Timeline(Published {
        title: title.to_string(),
        spans: trace.spans(),
    }));
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
