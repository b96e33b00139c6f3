//! Hidden checks for `05_async/bounded_channel`.
//!
//! Fetching a page takes 30 ms and saving one 100 ms, each inside a span on the row "fetch"
//! or "save". The checks judge the trace: a fetch span open while a save span is (the two
//! jobs overlap), and, at the end of every fetch, how many fetched pages had not started
//! saving yet. Through a channel of capacity C that is at most C + 1 (C in the channel, one
//! waiting to be sent); an unbounded channel lets the fast fetcher run far ahead.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::Trace;

use crate::exercise::download_and_save;

const FETCH: Duration = Duration::from_millis(30);
const SAVE: Duration = Duration::from_millis(100);
const PAGES: usize = 10;
const CAPACITY: usize = 2;
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    saved_count: usize,
    saved: Vec<String>,
    trace: Trace,
}

async fn run(pages: usize, capacity: usize) -> Run {
    let trace = Trace::new();
    let saved = Arc::new(Mutex::new(Vec::new()));
    let paths: Vec<String> = (1..=pages).map(|i| format!("/pages/{i}")).collect();
    let fetch = {
        let trace = trace.clone();
        move |path: String| {
            let trace = trace.clone();
            async move {
                let _row = Row::on(&trace, "fetch", &format!("fetch {path}"));
                tokio::time::sleep(FETCH).await;
                format!("page {path}")
            }
        }
    };
    let save = {
        let trace = trace.clone();
        let saved = Arc::clone(&saved);
        move |page: String| {
            let trace = trace.clone();
            let saved = Arc::clone(&saved);
            async move {
                let _row = Row::on(&trace, "save", &format!("save {page}"));
                tokio::time::sleep(SAVE).await;
                saved.lock().unwrap().push(page);
            }
        }
    };
    let saved_count =
        match tokio::time::timeout(DEADLINE, download_and_save(paths, capacity, fetch, save)).await {
            Ok(n) => n,
            Err(_) => panic!(
                "download_and_save did not return within {DEADLINE:?}. Does the saving loop \
                 end? `recv` only returns None once every sender has been dropped."
            ),
        };
    let saved = saved.lock().unwrap().clone();
    Run { saved_count, saved, trace }
}

#[test]
async fn every_page_is_saved_once_in_order() {
    let run = run(5, CAPACITY).await;
    let expected: Vec<String> = (1..=5).map(|i| format!("page /pages/{i}")).collect();
    assert_eq!(
        run.saved, expected,
        "every fetched page must be saved once, in the order of the paths (left: what was \
         saved, right: what was expected)"
    );
    assert_eq!(run.saved_count, 5, "5 pages were saved, but download_and_save returned {}", run.saved_count);
}

#[test]
async fn fetching_and_saving_overlap() {
    let run = run(PAGES, CAPACITY).await;
    let spans = run.trace.spans();
    let overlapping = spans.iter().filter(|f| f.thread == "fetch").any(|f| {
        spans
            .iter()
            .any(|s| s.thread == "save" && s.start_us < f.end_us && f.start_us < s.end_us)
    });
    if !overlapping {
        let pic = picture(&run.trace, "fetches and saves");
        panic!(
            "no page was being fetched while another was being saved: the {PAGES} fetches \
             and the {PAGES} saves ran one after another. The saving should start as soon as \
             the first page has arrived, while the next ones are fetched.{pic}"
        );
    }
}

#[test]
async fn the_fetcher_never_gets_more_than_capacity_ahead() {
    let run = run(PAGES, CAPACITY).await;
    let spans = run.trace.spans();
    let fetch_ends: Vec<u64> =
        spans.iter().filter(|s| s.thread == "fetch").map(|s| s.end_us).collect();
    let save_starts: Vec<u64> =
        spans.iter().filter(|s| s.thread == "save").map(|s| s.start_us).collect();
    // At the end of each fetch: pages fetched so far minus pages whose saving has started.
    let ahead = fetch_ends
        .iter()
        .map(|&t| {
            let fetched = fetch_ends.iter().filter(|&&e| e <= t).count();
            let saving = save_starts.iter().filter(|&&s| s <= t).count();
            fetched.saturating_sub(saving)
        })
        .max()
        .unwrap_or(0);
    let allowed = CAPACITY + 1;
    if ahead > allowed {
        let pic = picture(&run.trace, "fetches and saves");
        panic!(
            "at one point {ahead} fetched pages were waiting to be saved; with a channel of \
             capacity {CAPACITY} the fetcher can be at most {allowed} ahead ({CAPACITY} in \
             the channel, one waiting to be sent). Is the channel bounded, and does the \
             fetcher wait in `send` when it is full?{pic}"
        );
    }
}
