//! The comparison an experiment exercise prints: one table of every approach measured on every
//! workload, then each run's timeline, drawn on one time scale per workload so a run half as
//! long is half as wide.
//!
//! In: the measurements an exercise's checks published (see `concur_kit::experiment`).
//! Out: text within 80 columns, for the human reporter and `concur run`.

use std::fmt::Write as _;
use std::time::Duration;

use concur_kit::experiment::Measurement;
use concur_kit::timeline::{self, fmt_duration, Glyphs};

/// The table and the pictures (each `columns` wide at most), or nothing when no check measured
/// anything.
pub fn render(measurements: &[&Measurement], glyphs: Glyphs, columns: usize) -> String {
    if measurements.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    table(&mut out, measurements);
    for workload in workloads(measurements) {
        let runs = runs_of(measurements, workload);
        let scale = runs
            .iter()
            .map(|m| concur_kit::Trace::from_spans(m.spans.clone()).wall())
            .max()
            .unwrap_or(Duration::ZERO);
        for m in runs.iter().filter(|m| !m.spans.is_empty()) {
            let title = format!(
                "{} on the {} workload (wall {})",
                m.approach,
                m.workload,
                fmt_duration(m.wall())
            );
            let picture =
                timeline::picture_on_scale(&title, &m.spans, columns, glyphs, Some(scale));
            let _ = writeln!(out, "\n{picture}");
        }
    }
    out
}

/// Workloads in the order first measured.
fn workloads<'a>(measurements: &[&'a Measurement]) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for m in measurements {
        if !seen.contains(&m.workload.as_str()) {
            seen.push(&m.workload);
        }
    }
    seen
}

/// The runs of one workload in the course's order of approaches (threads, processes, async),
/// any other approach after them in the order measured.
fn runs_of<'a>(measurements: &[&'a Measurement], workload: &str) -> Vec<&'a Measurement> {
    const ORDER: [&str; 3] = ["threads", "processes", "async"];
    let mut runs: Vec<&Measurement> = measurements
        .iter()
        .copied()
        .filter(|m| m.workload == workload)
        .collect();
    runs.sort_by_key(|m| {
        ORDER
            .iter()
            .position(|a| *a == m.approach)
            .unwrap_or(ORDER.len())
    });
    runs
}

fn table(out: &mut String, measurements: &[&Measurement]) {
    let _ = writeln!(
        out,
        "measured on this machine, this run (busy machines change the numbers):"
    );
    let header = [
        "workload",
        "approach",
        "wall",
        "CPU",
        "peak",
        "threads",
        "processes",
    ];
    let mut rows: Vec<[String; 7]> = Vec::new();
    for workload in workloads(measurements) {
        for (i, m) in runs_of(measurements, workload).into_iter().enumerate() {
            rows.push([
                if i == 0 {
                    workload.to_string()
                } else {
                    String::new()
                },
                m.approach.clone(),
                fmt_duration(m.wall()),
                fmt_duration(m.cpu()),
                m.peak.to_string(),
                m.threads.to_string(),
                m.processes.to_string(),
            ]);
        }
    }
    let width = |col: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .chain([header[col].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[&str]| {
        let mut text = String::new();
        for (col, cell) in cells.iter().enumerate() {
            let w = widths[col];
            // Text columns to the left, numbers to the right.
            if col < 2 {
                let _ = write!(text, "{cell:<w$}  ");
            } else {
                let _ = write!(text, "{cell:>w$}  ");
            }
        }
        text.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header));
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{}", line(&cells));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use concur_kit::Span;

    fn measured(approach: &str, workload: &str, ms: u64, threads: usize) -> Measurement {
        Measurement {
            approach: approach.into(),
            workload: workload.into(),
            wall_us: ms * 1000 + 3_000,
            cpu_us: ms * 100,
            peak: threads,
            threads,
            processes: 0,
            spans: (0..threads)
                .map(|i| {
                    Span::new(
                        format!("job {i}"),
                        0,
                        ms * 1000,
                        format!("ThreadId({i})"),
                        9,
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn one_table_then_pictures_on_one_scale_per_workload() {
        let runs = [
            measured("async", "I/O-bound", 200, 1),
            measured("threads", "I/O-bound", 100, 4),
            measured("threads", "CPU-bound", 50, 2),
        ];
        let refs: Vec<&Measurement> = runs.iter().collect();
        let text = render(&refs, Glyphs::Ascii, 76);
        insta::assert_snapshot!(text);
        assert!(text.lines().all(|l| l.chars().count() <= 76));
        // A narrower terminal gets narrower pictures (the table keeps its width).
        let narrow = render(&refs, Glyphs::Ascii, 56);
        let rows = |text: &str| -> Vec<usize> {
            text.lines()
                .filter(|l| l.starts_with("thread "))
                .map(|l| l.chars().count())
                .collect()
        };
        assert!(rows(&narrow).iter().all(|&w| w <= 56), "{narrow}");
        assert!(rows(&text).iter().any(|&w| w > 56), "{text}");
    }

    #[test]
    fn nothing_measured_prints_nothing() {
        assert_eq!(render(&[], Glyphs::Ascii, 76), "");
    }
}
