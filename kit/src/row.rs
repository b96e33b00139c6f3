//! A span on a timeline row named by the check, for work that does not run on a thread of
//! its own.
//!
//! Async tasks on one runtime thread share that thread, so spans from `Trace::span` would all
//! land on one row and concurrent requests would draw on top of each other. A [`Row`] names its
//! row instead ("/pages/3", "fetch"), and records its span when dropped, also when the future
//! holding it is dropped before it finishes, which is what cancellation checks look at.
//! In: a trace, a row name and a label. Out: one span pushed to the trace on drop.

use crate::trace::{now_us, Span, Trace};

/// An open span on a named row; dropping it records the span.
#[must_use = "the span is recorded when the Row is dropped"]
pub struct Row {
    trace: Trace,
    label: String,
    row: String,
    start_us: u64,
}

impl Row {
    /// A span on a row of its own, named after its label.
    pub fn open(trace: &Trace, label: &str) -> Row {
        Row::on(trace, label, label)
    }

    /// A span on the row named `row`, shared with other spans that never overlap it.
    pub fn on(trace: &Trace, row: &str, label: &str) -> Row {
        Row {
            trace: trace.clone(),
            label: label.to_string(),
            row: row.to_string(),
            start_us: now_us(),
        }
    }
}

impl Drop for Row {
    fn drop(&mut self) {
        self.trace.push(Span::new(
            self.label.clone(),
            self.start_us,
            now_us(),
            self.row.clone(),
            std::process::id(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_by_the_check_and_recorded_on_drop() {
        let trace = Trace::new();
        let a = Row::open(&trace, "/pages/1");
        let b = Row::on(&trace, "fetch", "page 2");
        assert!(
            trace.is_empty(),
            "nothing is recorded while the spans are open"
        );
        drop((a, b));
        let rows: Vec<String> = trace.spans().into_iter().map(|s| s.thread).collect();
        assert_eq!(rows.len(), 2);
        assert!(rows.contains(&"/pages/1".to_string()) && rows.contains(&"fetch".to_string()));
        assert_eq!(trace.peak_overlap(), 2);
    }
}
