// Many producers, one consumer.
//
// Reference solution. Each producer thread owns a clone of the sender; the
// original is dropped once they are all started, so the receiving loop ends
// exactly when the last producer finishes. Results come out in arrival order:
// the feeds interleave, but each feed's own items keep their order, because a
// single thread sends them one after another into a FIFO channel.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Fetches every item of every feed, one producer thread per feed, and returns the
/// results in the order they arrived through one shared channel.
pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let (results, arrived) = mpsc::channel();
    for feed in feeds {
        let results = results.clone();
        let fetch = fetch.clone();
        thread::spawn(move || {
            for id in feed {
                // The receiver lives until every producer is done, so this cannot fail.
                results.send(fetch(id)).expect("the receiver outlives the producers");
            }
        });
    }
    // Only the producers' clones may keep the channel open.
    drop(results);
    arrived.into_iter().collect()
}

fn main() {
    let feeds = vec![vec![101, 102, 103], vec![201, 202, 203], vec![301, 302, 303]];
    let started = Instant::now();
    let merged = merge_feeds(feeds, |id| {
        thread::sleep(Duration::from_millis(100));
        id
    });
    println!("{merged:?}");
    println!("3 feeds of 3 items of 100 ms took {:?}", started.elapsed());
}
