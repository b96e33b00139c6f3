//! Hidden checks for `02_queues/many_producers`.
//!
//! Three feeds of four items; fetching an item is a traced sleep of 60 ms, so one producer
//! doing everything takes 720 ms and three producers at once about 240 ms. Item ids tell
//! the feed (`f * 100 + k`), so the checks can see each feed's order in the merged result.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{
    assert_all_once, assert_distinct_threads_at_least, assert_peak_overlap_at_least, panic_message,
};
use concur_kit::trace::Trace;
use concur_kit::trace::traced;

use crate::exercise::merge_feeds;

const FEEDS: u64 = 3;
const ITEMS: u64 = 4;
const FETCH: Duration = Duration::from_millis(60);
const DEADLINE: Duration = Duration::from_secs(5);

fn feeds() -> Vec<Vec<u64>> {
    (1..=FEEDS).map(|f| (1..=ITEMS).map(|k| f * 100 + k).collect()).collect()
}

fn run() -> (Vec<u64>, Trace) {
    let trace = Trace::new();
    let recorder = trace.clone();
    let fetch = move |id: u64| traced(&recorder, format!("fetch({id})"), FETCH, || id);
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = tx.send(merge_feeds(feeds(), fetch));
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(merged) => (merged, trace),
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("merge_feeds panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "merge_feeds did not return within {DEADLINE:?}, though the producers finished \
             their {} fetches. The receiving loop ends only when every Sender is gone: is \
             the original sender, the one the clones came from, still alive?",
            trace.len()
        ),
    }
}

#[test]
fn every_item_arrives_exactly_once() {
    let (merged, _) = run();
    let expected: Vec<u64> = feeds().concat();
    assert_all_once(&merged, &expected, "results of merge_feeds (3 feeds of 4 items)");
}

#[test]
fn each_feed_keeps_its_order() {
    let (merged, _) = run();
    for f in 1..=FEEDS {
        let of_feed: Vec<u64> = merged.iter().copied().filter(|id| id / 100 == f).collect();
        let mut sorted = of_feed.clone();
        sorted.sort_unstable();
        assert_eq!(
            of_feed, sorted,
            "the items of feed {f} arrived as {of_feed:?}: one producer should send its \
             feed's items in order (the whole result was {merged:?})"
        );
    }
}

#[test]
fn producers_work_at_the_same_time() {
    let (_, trace) = run();
    assert_peak_overlap_at_least(&trace, FEEDS as usize, "fetches");
    assert_distinct_threads_at_least(&trace, FEEDS as usize, "fetches");
}
