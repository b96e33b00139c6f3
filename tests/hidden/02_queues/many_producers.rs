//! Hidden checks for `02_queues/many_producers`.
//!
//! Every run draws 3–4 feeds of 4–6 different item ids (seeded, replayable with
//! `concur verify many_producers --seed N`). The `fetch` the check hands out sleeps 60 ms in a
//! traced span `fetch(id)` and returns a value only this run knows (`Inputs::salt`), so each
//! result is tied to the one fetch that made it. One producer doing everything takes
//! (items × 60 ms), at least 2.3 times as long as producers working at once (longest feed ×
//! 60 ms); the wall bound lies halfway between the two. Every fetch counted must lie inside the
//! call of `merge_feeds`.
//!
//! Which wrong variant (`tests/variants/02_queues/many_producers_*.rs`) bites which check:
//! - `each_feed_keeps_its_order`: `_sorted` (sorts the merged results);
//! - `producers_work_at_the_same_time`: `_one_after_another` (joins each producer before
//!   starting the next), `_fetch_in_parent`;
//! - `one_producer_thread_per_feed`: `_thread_per_item` (a thread per item, joined in order),
//!   `_fetch_in_parent` (the caller fetches, the producers only send).
//! `every_item_arrives_exactly_once` is bitten by every variant that loses, duplicates or
//! invents a result; the corpus's such files also fail elsewhere.

use std::collections::HashMap;
use std::time::Duration;

use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_inside, assert_peak_overlap_at_least,
    assert_wall_below,
};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::{traced, Trace};

use crate::exercise::merge_feeds;

const FETCH: Duration = Duration::from_millis(60);
/// A merge that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// What one run handed to `merge_feeds` and what came back.
struct Run {
    feeds: Vec<Vec<u64>>,
    /// What `fetch` returns for each id.
    answers: HashMap<u64, u64>,
    called: Called<(Vec<u64>, String)>,
    trace: Trace,
}

impl Run {
    fn results(&self) -> &[u64] {
        &self.called.value.0
    }

    fn caller(&self) -> &str {
        &self.called.value.1
    }

    fn items(&self) -> usize {
        self.feeds.iter().map(Vec::len).sum()
    }
}

fn thread_name() -> String {
    format!("{:?}", std::thread::current().id())
}

fn run() -> Run {
    let mut inputs = Inputs::new();
    let count = inputs.between(3, 4) as usize;
    let mut ids = inputs.distinct(count * 6, 10, 9_999).into_iter();
    let feeds: Vec<Vec<u64>> = (0..count)
        .map(|_| {
            let len = inputs.between(4, 6) as usize;
            ids.by_ref().take(len).collect()
        })
        .collect();
    let answers: HashMap<u64, u64> = feeds
        .iter()
        .flatten()
        .map(|&id| (id, inputs.salt(id)))
        .collect();
    let trace = Trace::new();
    let (recorder, known) = (trace.clone(), answers.clone());
    let fetch = move |id: u64| {
        let answer = known.get(&id).copied().unwrap_or_default();
        traced(&recorder, format!("fetch({id})"), FETCH, || answer)
    };
    let handed = feeds.clone();
    let called = call("merge_feeds", DEADLINE, move || {
        (merge_feeds(handed, fetch), thread_name())
    });
    Run {
        feeds,
        answers,
        called,
        trace,
    }
}

#[test]
fn every_item_arrives_exactly_once() {
    let run = run();
    let expected: Vec<u64> = run.feeds.iter().flatten().map(|id| run.answers[id]).collect();
    let what = format!(
        "results of merge_feeds ({} feeds, {} items; each result is what `fetch` returned for \
         one item)",
        run.feeds.len(),
        run.items()
    );
    assert_all_once(run.results(), &expected, &what);
    let labels: Vec<String> = run.feeds.iter().flatten().map(|id| format!("fetch({id})")).collect();
    assert_each_once(&run.trace, &labels, "fetches");
    assert_inside(&run.trace, &run.called, "fetches", "merge_feeds");
}

#[test]
fn each_feed_keeps_its_order() {
    let run = run();
    let position: HashMap<u64, usize> = run
        .results()
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, i))
        .collect();
    for (f, feed) in run.feeds.iter().enumerate() {
        let arrived: Vec<usize> = feed
            .iter()
            .filter_map(|id| position.get(&run.answers[id]).copied())
            .collect();
        if let Some(k) = (1..arrived.len()).find(|&k| arrived[k] < arrived[k - 1]) {
            panic!(
                "feed {} is {feed:?}, but the result for item {} arrived before the result for \
                 item {} (at positions {} and {} of the {} results): one producer should fetch \
                 its feed's items in order and send each result as soon as it has it",
                f + 1,
                feed[k],
                feed[k - 1],
                arrived[k] + 1,
                arrived[k - 1] + 1,
                run.results().len(),
            );
        }
    }
}

#[test]
fn producers_work_at_the_same_time() {
    let run = run();
    let feeds = run.feeds.len();
    assert_inside(&run.trace, &run.called, "fetches", "merge_feeds");
    assert_peak_overlap_at_least(&run.trace, feeds, "fetches");
    let longest = run.feeds.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let sequential = FETCH * run.items() as u32;
    let together = FETCH * longest;
    assert_wall_below(
        run.called.elapsed(),
        (sequential + together) / 2,
        sequential,
        &format!("merge_feeds of {feeds} feeds, {} items of 60 ms", run.items()),
    );
}

#[test]
fn one_producer_thread_per_feed() {
    let run = run();
    let spans = run.trace.spans();
    let thread_of: HashMap<String, String> =
        spans.iter().map(|s| (s.label.clone(), s.thread.clone())).collect();
    let pic = || picture(&run.trace, "fetches");
    let on_caller = spans.iter().filter(|s| s.thread == run.caller()).count();
    assert!(
        on_caller == 0,
        "{on_caller} of the {} fetches ran on the thread that called merge_feeds: the \
         producer threads must do the fetching, not only the sending{}",
        spans.len(),
        pic()
    );
    let mut producers: Vec<&str> = Vec::new();
    for (f, feed) in run.feeds.iter().enumerate() {
        let threads: std::collections::BTreeSet<&str> = feed
            .iter()
            .filter_map(|id| thread_of.get(&format!("fetch({id})")).map(String::as_str))
            .collect();
        assert!(
            threads.len() <= 1,
            "the {} items of feed {} were fetched on {} different threads; one producer \
             thread per feed fetches all of its items, one after another (a thread per item \
             does not scale){}",
            feed.len(),
            f + 1,
            threads.len(),
            pic()
        );
        producers.extend(threads);
    }
    let distinct: std::collections::BTreeSet<&str> = producers.iter().copied().collect();
    assert!(
        distinct.len() == producers.len(),
        "{} feeds were fetched on only {} thread(s): each feed needs a producer of its own{}",
        producers.len(),
        distinct.len(),
        pic()
    );
}
