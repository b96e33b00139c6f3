// Many producers, one consumer
//
// A `Sender` can be cloned: every clone feeds the same channel, so several
// threads can produce into one queue while a single consumer receives from it.
// (That is what "mpsc" stands for: multiple producer, single consumer.) The
// receiver's loop ends once every clone has been dropped, including the
// original one.
//
// Your task: write `merge_feeds`. It gets several feeds (lists of item ids) and
// a `fetch` function that takes a while for each item. It must
//   - start one producer thread per feed; each fetches the items of its feed,
//     in order, and sends every result into one shared channel,
//   - have all the producers working at the same time,
//   - receive on the calling thread and return the results in the order they
//     arrived, once every producer is done.
//
// `main` runs a small demo: `concur run many_producers`.

use std::thread;
use std::time::{Duration, Instant};

/// Fetches every item of every feed, one producer thread per feed, and returns the
/// results in the order they arrived through one shared channel.
pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    // TODO: one channel; one producer thread per feed, each with its own clone of
    // the sender (and of `fetch`); then receive until every producer is done.
    todo!("merge {} feeds", feeds.len())
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
