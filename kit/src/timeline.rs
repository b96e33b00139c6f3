//! The timeline picture shown to learners under a failed timing check.
//!
//! One row per worker — a `(pid, thread)` pair — with bars where it was busy, over a shared time
//! axis, so one-at-a-time work reads as a staircase and concurrent work as stacked bars:
//!
//! ```text
//! thread 1 |████······▓▓▓▓······|
//! thread 2 |····████······▓▓▓▓··|
//!           0 ms            400 ms
//! ```
//!
//! Consecutive spans on one row alternate `█` and `▓` so their boundaries stay visible.
//! In: spans (any order). Out: a multi-line string without a trailing newline.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use crate::trace::Span;

/// Rows shown before the rest are summarised as "… N more".
pub const MAX_ROWS: usize = 16;

/// The characters a picture is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyphs {
    /// Block characters, for terminals with colour.
    Unicode,
    /// Plain ASCII, for pipes, logs and `NO_COLOR`.
    Ascii,
}

impl Glyphs {
    fn busy(self) -> [char; 2] {
        match self {
            Glyphs::Unicode => ['█', '▓'],
            Glyphs::Ascii => ['#', '='],
        }
    }

    fn idle(self) -> char {
        match self {
            Glyphs::Unicode => '·',
            Glyphs::Ascii => '.',
        }
    }
}

/// `text` with every timeline row drawn in block characters redrawn in ASCII: for a check's
/// message that embeds a picture (`Trace::timeline`) shown where colour is off. Other lines
/// are left as they are.
pub fn ascii_rows(text: &str) -> String {
    let unicode = Glyphs::Unicode;
    let row = |line: &str| {
        let Some((_, bar)) = line.split_once(" |") else {
            return false;
        };
        bar.strip_suffix('|').is_some_and(|cells| {
            !cells.is_empty()
                && cells
                    .chars()
                    .all(|c| unicode.busy().contains(&c) || c == unicode.idle())
        })
    };
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            if !row(line) {
                return line.to_string();
            }
            let (label, bar) = line.split_once(" |").unwrap_or((line, ""));
            let ascii: String = bar
                .chars()
                .map(|c| match c {
                    '█' => Glyphs::Ascii.busy()[0],
                    '▓' => Glyphs::Ascii.busy()[1],
                    '·' => Glyphs::Ascii.idle(),
                    other => other,
                })
                .collect();
            format!("{label} |{ascii}")
        })
        .collect();
    lines.join("\n")
}

/// The picture concur shows under a check: the title, a line stating the peak concurrency,
/// then the rows, all within `max_columns` (bars shrink to fit the labels).
pub fn picture(title: &str, spans: &[Span], max_columns: usize, glyphs: Glyphs) -> String {
    picture_on_scale(title, spans, max_columns, glyphs, None)
}

/// [`picture`] with the time axis at least `scale` long, so several pictures drawn on one scale
/// compare at a glance (a run half as long fills half the width).
pub fn picture_on_scale(
    title: &str,
    spans: &[Span],
    max_columns: usize,
    glyphs: Glyphs,
    scale: Option<Duration>,
) -> String {
    let peak = crate::trace::Trace::from_spans(spans.to_vec()).peak_overlap();
    let rows = spans
        .iter()
        .map(|s| (s.pid, s.thread.as_str()))
        .collect::<BTreeSet<_>>();
    let labels = row_labels(rows.iter().copied());
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let width = max_columns.saturating_sub(label_width + 3).clamp(10, 100);
    let body = render_scaled(spans, width, glyphs, scale);
    let [first, second] = glyphs.busy();
    let legend = if spans.is_empty() {
        String::new()
    } else {
        format!(
            "\n{first}{second} a unit of work (shades alternate)   {} nothing running",
            glyphs.idle()
        )
    };
    format!(
        "{title}\n{} unit{} of work, peak {peak} at once\n{body}{legend}",
        spans.len(),
        if spans.len() == 1 { "" } else { "s" }
    )
}

/// Render `spans` as rows of `width` columns (at least 10), in block characters.
pub fn render(spans: &[Span], width: usize) -> String {
    render_with(spans, width, Glyphs::Unicode)
}

/// Render `spans` as rows of `width` columns (at least 10) with the given glyphs.
pub fn render_with(spans: &[Span], width: usize, glyphs: Glyphs) -> String {
    render_scaled(spans, width, glyphs, None)
}

/// [`render_with`] on an axis at least `scale` long.
fn render_scaled(spans: &[Span], width: usize, glyphs: Glyphs, scale: Option<Duration>) -> String {
    let width = width.max(10);
    let Some(t0) = spans.iter().map(|s| s.start_us).min() else {
        return "(no work was recorded)".to_string();
    };
    let t1 = spans
        .iter()
        .map(|s| s.end_us.max(s.start_us))
        .max()
        .unwrap_or(t0);
    let floor = scale.map_or(1, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    let wall = (t1 - t0).max(floor).max(1);

    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|s| (s.start_us, s.end_us));

    // Rows in order of first appearance.
    let mut rows: Vec<((u32, &str), Vec<&Span>)> = Vec::new();
    let mut index: HashMap<(u32, &str), usize> = HashMap::new();
    for span in &sorted {
        let key = (span.pid, span.thread.as_str());
        let i = *index.entry(key).or_insert_with(|| {
            rows.push((key, Vec::new()));
            rows.len() - 1
        });
        rows[i].1.push(span);
    }

    let labels = row_labels(rows.iter().map(|(key, _)| *key));
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);

    let mut out = Vec::new();
    for ((_, row_spans), label) in rows.iter().zip(&labels).take(MAX_ROWS) {
        let mut cells = vec![glyphs.idle(); width];
        for (n, span) in row_spans.iter().enumerate() {
            let (from, to) = columns(span, t0, wall, width);
            for cell in &mut cells[from..to] {
                *cell = glyphs.busy()[n % 2];
            }
        }
        let bar: String = cells.into_iter().collect();
        out.push(format!("{label:<label_width$} |{bar}|"));
    }
    if rows.len() > MAX_ROWS {
        let ellipsis = if glyphs == Glyphs::Ascii {
            "..."
        } else {
            "…"
        };
        out.push(format!("{ellipsis} {} more", rows.len() - MAX_ROWS));
    }
    let axis = axis(label_width, width, Duration::from_micros(wall));
    out.push(if glyphs == Glyphs::Ascii {
        axis.replace('µ', "u")
    } else {
        axis
    });
    out.join("\n")
}

/// The half-open column range a span covers; never empty, so short spans stay visible.
fn columns(span: &Span, t0: u64, wall: u64, width: usize) -> (usize, usize) {
    let scale = |us: u64| -> u128 { u128::from(us - t0) * width as u128 };
    let from = (scale(span.start_us) / u128::from(wall)) as usize;
    let to = scale(span.end_us.max(span.start_us)).div_ceil(u128::from(wall)) as usize;
    let from = from.min(width - 1);
    (from, to.clamp(from + 1, width))
}

/// "thread N" with one pid, "pid P" when each of several pids has one thread, else
/// "pid P/thread N". Threads not named `ThreadId(..)` (e.g. mock-API requests) keep their name.
fn row_labels<'a>(keys: impl Iterator<Item = (u32, &'a str)> + Clone) -> Vec<String> {
    let pids: BTreeSet<u32> = keys.clone().map(|(pid, _)| pid).collect();
    let several_pids = pids.len() > 1;
    let mut threads_per_pid: HashMap<u32, usize> = HashMap::new();
    for (pid, _) in keys.clone() {
        *threads_per_pid.entry(pid).or_default() += 1;
    }
    let one_thread_each = threads_per_pid.values().all(|&n| n == 1);

    let mut next_number: HashMap<u32, usize> = HashMap::new();
    keys.map(|(pid, thread)| {
        // Number threads per pid when pids vary, across the whole trace otherwise.
        let counter = next_number
            .entry(if several_pids { pid } else { 0 })
            .or_default();
        let name = if thread.starts_with("ThreadId(") {
            *counter += 1;
            format!("thread {counter}")
        } else {
            thread.to_string()
        };
        match (several_pids, one_thread_each) {
            (false, _) => name,
            (true, true) => format!("pid {pid}"),
            (true, false) => format!("pid {pid}/{name}"),
        }
    })
    .collect()
}

fn axis(label_width: usize, width: usize, wall: Duration) -> String {
    let start = "0 ms";
    let end = fmt_duration(wall);
    // The end label finishes under the closing '|'.
    let span = width + 1;
    let gap = span
        .saturating_sub(start.len() + end.chars().count())
        .max(1);
    format!(
        "{:indent$}{start}{:gap$}{end}",
        "",
        "",
        indent = label_width + 2
    )
}

/// A duration the way learners read it: "850 µs", "4.2 ms", "412 ms", "12.3 s".
pub fn fmt_duration(d: Duration) -> String {
    let us = d.as_micros();
    if us < 1_000 {
        format!("{us} µs")
    } else if us < 10_000 {
        format!("{:.1} ms", us as f64 / 1_000.0)
    } else if us < 10_000_000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start_ms: u64, end_ms: u64, thread: &str, pid: u32) -> Span {
        Span::new("", start_ms * 1000, end_ms * 1000, thread, pid)
    }

    #[test]
    fn a_picture_in_a_message_can_be_redrawn_in_ascii() {
        let text = format!(
            "peak 1\n\ntimeline:\n{}\nnext · line",
            render(&staircase(), 30)
        );
        let ascii = ascii_rows(&text);
        assert_eq!(ascii, ascii_rows(&ascii), "redrawing twice changes nothing");
        assert!(!ascii.contains('█') && !ascii.contains('▓'), "{ascii}");
        assert!(
            ascii.contains('#') && ascii.ends_with("next · line"),
            "{ascii}"
        );
        assert_eq!(ascii.lines().count(), text.lines().count());
    }

    #[test]
    fn a_common_scale_draws_a_shorter_run_shorter() {
        let spans = [span(0, 100, "ThreadId(1)", 1)];
        let alone = render_with(&spans, 20, Glyphs::Ascii);
        let scaled = render_scaled(&spans, 20, Glyphs::Ascii, Some(Duration::from_millis(200)));
        assert_eq!(alone.lines().next().unwrap().matches('#').count(), 20);
        assert_eq!(scaled.lines().next().unwrap().matches('#').count(), 10);
        assert!(scaled.ends_with("200 ms"), "{scaled}");
    }

    #[test]
    fn two_threads_interleaved() {
        let spans = [
            span(0, 100, "ThreadId(7)", 1),
            span(100, 200, "ThreadId(9)", 1),
            span(200, 300, "ThreadId(7)", 1),
            span(300, 400, "ThreadId(9)", 1),
        ];
        let picture = render(&spans, 20);
        let lines: Vec<&str> = picture.lines().collect();
        assert_eq!(lines.len(), 3, "{picture}");
        assert_eq!(lines[0], "thread 1 |█████·····▓▓▓▓▓·····|");
        assert_eq!(lines[1], "thread 2 |·····█████·····▓▓▓▓▓|");
        assert_eq!(lines[2], "          0 ms           400 ms");
    }

    #[test]
    fn labels_follow_pids() {
        let one_thread_per_pid = [
            span(0, 10, "ThreadId(1)", 40),
            span(0, 10, "ThreadId(1)", 41),
        ];
        let picture = render(&one_thread_per_pid, 10);
        assert!(picture.starts_with("pid 40 |"), "{picture}");
        assert!(picture.contains("\npid 41 |"), "{picture}");

        let mixed = [
            span(0, 10, "ThreadId(1)", 40),
            span(0, 10, "ThreadId(2)", 40),
            span(0, 10, "ThreadId(1)", 41),
        ];
        let picture = render(&mixed, 10);
        assert!(picture.contains("pid 40/thread 2 |"), "{picture}");
        assert!(picture.contains("pid 41/thread 1 |"), "{picture}");
    }

    #[test]
    fn many_rows_are_summarised() {
        let spans: Vec<Span> = (0..20)
            .map(|i| span(i, i + 1, &format!("ThreadId({i})"), 1))
            .collect();
        let picture = render(&spans, 20);
        assert_eq!(picture.lines().count(), MAX_ROWS + 2);
        assert!(picture.contains("… 4 more"), "{picture}");
    }

    #[test]
    fn empty_and_tiny() {
        assert_eq!(render(&[], 20), "(no work was recorded)");
        let picture = render(&[span(5, 5, "ThreadId(1)", 1)], 10);
        assert!(picture.starts_with("thread 1 |█·········|"), "{picture}");
    }

    /// Ten units of 100 ms on one thread, one after another.
    fn staircase() -> Vec<Span> {
        (0..10)
            .map(|i| span(i * 100, i * 100 + 100, &format!("ThreadId({})", i + 2), 1))
            .collect()
    }

    /// Ten units of 100 ms on ten threads, all at once.
    fn block() -> Vec<Span> {
        (0..10)
            .map(|i| span(0, 100, &format!("ThreadId({})", i + 2), 1))
            .collect()
    }

    #[test]
    fn sequential_work_is_a_staircase() {
        insta::assert_snapshot!(picture("jobs", &staircase(), 80, Glyphs::Ascii));
    }

    #[test]
    fn concurrent_work_is_a_block() {
        insta::assert_snapshot!(picture("jobs", &block(), 80, Glyphs::Ascii));
    }

    #[test]
    fn pictures_in_colour_use_blocks() {
        insta::assert_snapshot!(picture("requests", &staircase()[..4], 60, Glyphs::Unicode));
    }

    #[test]
    fn pictures_fit_80_columns() {
        for spans in [staircase(), block()] {
            for glyphs in [Glyphs::Ascii, Glyphs::Unicode] {
                let text = picture("jobs", &spans, 80, glyphs);
                for line in text.lines() {
                    assert!(
                        line.chars().count() <= 80,
                        "{} columns: {line}",
                        line.chars().count()
                    );
                }
            }
        }
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(fmt_duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(fmt_duration(Duration::from_micros(4_200)), "4.2 ms");
        assert_eq!(fmt_duration(Duration::from_millis(412)), "412 ms");
        assert_eq!(fmt_duration(Duration::from_millis(12_340)), "12.3 s");
    }
}
