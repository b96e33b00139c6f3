//! Hidden checks for `02_queues/pipeline`.
//!
//! 8 ids; `download` and `parse` are traced sleeps of 40 ms each, labelled by stage. One
//! item at a time costs 640 ms; a two-stage pipeline about 360 ms. The checks look at the
//! order of the results and at how many *stages* were busy at one instant.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{panic_message, TIMELINE_WIDTH};
use concur_kit::trace::Trace;
use concur_kit::trace::traced;

use crate::exercise::pipeline;

const IDS: u64 = 8;
const STAGE: Duration = Duration::from_millis(40);
const DEADLINE: Duration = Duration::from_secs(5);

fn run() -> (Vec<u64>, Trace) {
    let trace = Trace::new();
    let (downloads, parses) = (trace.clone(), trace.clone());
    let download =
        move |id: u64| traced(&downloads, format!("download({id})"), STAGE, || format!("page {id}"));
    let parse = move |page: String| {
        let id: u64 = page.trim_start_matches("page ").parse().expect("a page from download");
        traced(&parses, format!("parse({id})"), STAGE, || id * 10)
    };
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = tx.send(pipeline((1..=IDS).collect(), download, parse));
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(results) => (results, trace),
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("pipeline panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "pipeline did not return within {DEADLINE:?} ({} stage runs recorded). Does every \
             stage drop its sender when its input ends? Each stage's loop ends only when the \
             channel it reads from is closed.\n\ntimeline:\n{}",
            trace.len(),
            trace.timeline(TIMELINE_WIDTH)
        ),
    }
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
    let mut open: std::collections::HashMap<String, usize> = Default::default();
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
    let (results, _) = run();
    let expected: Vec<u64> = (1..=IDS).map(|id| id * 10).collect();
    assert_eq!(
        results, expected,
        "pipeline returned {results:?}; expected {expected:?}, every id once, in the order \
         of the ids"
    );
}

#[test]
fn stages_work_at_the_same_time() {
    let (_, trace) = run();
    let peak = peak_stages_busy(&trace);
    assert!(
        peak >= 2,
        "downloading and parsing were never busy at the same moment: the stages ran one \
         after another. In a pipeline the parser works on one page while the downloader \
         fetches the next: give each stage its own thread, and pass each page on as soon as \
         it is downloaded.\n\ntimeline:\n{}",
        trace.timeline(TIMELINE_WIDTH)
    );
}
