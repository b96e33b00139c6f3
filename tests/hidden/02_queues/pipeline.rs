//! Hidden checks for `02_queues/pipeline`.
//!
//! Every run draws 6–9 distinct ids in no particular order (`seed::Inputs`). `download` and
//! `parse` are traced sleeps of 80 ms each, labelled by stage and id; a page is a text only
//! this run knows (salted), and `parse` turns it into a value only this run knows, so every
//! result comes from exactly one download and one parse. Every call goes through the kit's
//! `call`, and only stage runs inside it count. One item at a time costs 2 × n × 80 ms; a
//! two-stage pipeline (n + 1) × 80 ms; the wall bound lies halfway. The checks look at the
//! order of the results, at how many *stages* were busy at one instant, and at where the
//! stages ran: every download on one thread, every parse on one other thread.
//!
//! Which wrong variant (`tests/variants/02_queues/pipeline_*.rs`) bites which check:
//! - `stages_work_at_the_same_time`: `_one_thread`, `_stage_after_stage` (the downloader
//!   collects every page before passing any on);
//! - `each_stage_runs_on_a_thread_of_its_own`: `_one_thread`, `_thread_per_item` (download and
//!   parse of each item on a thread of its own);
//! - `every_item_comes_out_once_in_order`: `_sorted` (returns the results sorted, not in the
//!   order of the ids), and any pipeline that loses or duplicates items.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use concur_kit::call::{call, Called};
use concur_kit::check::{assert_each_once, assert_inside, assert_wall_below};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::{traced, Trace};

use crate::exercise::pipeline;

const STAGE: Duration = Duration::from_millis(80);
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    ids: Vec<u64>,
    expected: Vec<u64>,
    called: Called<Vec<u64>>,
    trace: Trace,
}

impl Run {
    fn labels(&self) -> Vec<String> {
        self.ids
            .iter()
            .flat_map(|id| [format!("download({id})"), format!("parse({id})")])
            .collect()
    }

    fn what(&self) -> String {
        format!("pipeline of {} ids (80 ms per download, 80 ms per parse)", self.ids.len())
    }
}

fn run_ids(inputs: &Inputs, ids: Vec<u64>) -> Run {
    let trace = Trace::new();
    // The page of every id, and the value its parse gives: both only this run knows.
    let pages: Arc<HashMap<u64, String>> = Arc::new(
        ids.iter()
            .map(|&id| (id, format!("<page {:016x}>", inputs.salt(id))))
            .collect(),
    );
    let parsed: Arc<HashMap<String, (u64, u64)>> = Arc::new(
        ids.iter()
            .map(|&id| (pages[&id].clone(), (id, inputs.salt(id ^ 0x5eed_0000_0000))))
            .collect(),
    );
    let expected = ids.iter().map(|&id| parsed[&pages[&id]].1).collect();
    let (downloads, parses) = (trace.clone(), trace.clone());
    let download = move |id: u64| {
        let page = pages.get(&id).cloned().unwrap_or_default();
        traced(&downloads, format!("download({id})"), STAGE, || page)
    };
    let parse = move |page: String| match parsed.get(&page) {
        Some(&(id, value)) => traced(&parses, format!("parse({id})"), STAGE, || value),
        None => traced(&parses, "parse(a page no download gave)", STAGE, || 0),
    };
    let given = ids.clone();
    let called = call("pipeline", DEADLINE, move || pipeline(given, download, parse));
    Run { ids, expected, called, trace }
}

fn run() -> Run {
    let mut inputs = Inputs::new();
    let n = inputs.between(6, 9) as usize;
    let ids = inputs.distinct(n, 1, 9_999);
    let mut shuffled = ids.clone();
    inputs.shuffle(&mut shuffled);
    run_ids(&inputs, shuffled)
}

/// The largest number of different stages busy at one instant.
fn peak_stages_busy(trace: &Trace) -> usize {
    // (time, is_start, stage); ends sort before starts at the same instant.
    let mut events = Vec::new();
    for span in trace.spans() {
        let stage = span.label.split('(').next().unwrap_or_default().to_string();
        events.push((span.start_us, true, stage.clone()));
        events.push((span.end_us.max(span.start_us), false, stage));
    }
    events.sort();
    let mut open: HashMap<String, usize> = Default::default();
    let mut peak = 0;
    for (_, is_start, stage) in events {
        let count = open.entry(stage).or_default();
        if is_start {
            *count += 1;
        } else {
            *count = count.saturating_sub(1);
        }
        peak = peak.max(open.values().filter(|&&n| n > 0).count());
    }
    peak
}

#[test]
fn every_item_comes_out_once_in_order() {
    let run = run();
    assert_eq!(
        run.called.value, run.expected,
        "pipeline({:?}) returned {:?}; expected {:?}: for every id, in the order of the ids, \
         what `parse` made of the page `download` gave for it",
        run.ids, run.called.value, run.expected
    );
    assert_each_once(&run.trace, &run.labels(), "downloads and parses");
    assert_inside(&run.trace, &run.called, "downloads and parses", "pipeline");
}

#[test]
fn no_ids_give_no_results() {
    let run = run_ids(&Inputs::new(), Vec::new());
    assert!(
        run.called.value.is_empty() && run.trace.is_empty(),
        "pipeline of no ids returned {:?} and ran {} downloads or parses",
        run.called.value,
        run.trace.len()
    );
}

#[test]
fn stages_work_at_the_same_time() {
    let run = run();
    assert_inside(&run.trace, &run.called, "downloads and parses", "pipeline");
    let peak = peak_stages_busy(&run.trace);
    assert!(
        peak >= 2,
        "downloading and parsing were never busy at the same moment: the stages ran one \
         after another. In a pipeline the parser works on one page while the downloader \
         fetches the next: give each stage its own thread, and pass each page on as soon as \
         it is downloaded.{}",
        picture(&run.trace, "downloads and parses")
    );
    let n = run.ids.len() as u32;
    let (ideal, sequential) = (STAGE * (n + 1), STAGE * 2 * n);
    assert_wall_below(
        run.called.elapsed(),
        ideal + (sequential - ideal) / 2,
        sequential,
        &run.what(),
    );
}

#[test]
fn each_stage_runs_on_a_thread_of_its_own() {
    let run = run();
    assert_inside(&run.trace, &run.called, "downloads and parses", "pipeline");
    let threads_of = |stage: &str| -> Vec<String> {
        let mut threads: Vec<String> = run
            .trace
            .spans()
            .into_iter()
            .filter(|s| s.label.starts_with(stage))
            .map(|s| s.thread)
            .collect();
        threads.sort();
        threads.dedup();
        threads
    };
    let (downloaders, parsers) = (threads_of("download("), threads_of("parse("));
    assert!(
        downloaders.len() == 1 && parsers.len() == 1,
        "the {n} downloads ran on {} different threads and the {n} parses on {}: a pipeline \
         has one thread per stage, which handles every item of that stage in turn (not a \
         thread per item){}",
        downloaders.len(),
        parsers.len(),
        picture(&run.trace, "downloads and parses"),
        n = run.ids.len()
    );
    assert!(
        downloaders != parsers,
        "every download and every parse ran on the same thread: each stage needs a thread of \
         its own, so that one page is parsed while the next downloads{}",
        picture(&run.trace, "downloads and parses")
    );
}
