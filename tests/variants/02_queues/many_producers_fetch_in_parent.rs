// expect-fail: producers_work_at_the_same_time
// expect-fail: one_producer_thread_per_feed
//
// Wrong variant of many_producers: the calling thread fetches every item itself, one after
// another, and the producer threads only send what it fetched. There are producers and a
// shared channel, but the work is not theirs.

use std::sync::mpsc;
use std::thread;

pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let (tx, rx) = mpsc::channel();
    for feed in feeds {
        let fetched: Vec<u64> = feed.into_iter().map(&fetch).collect();
        let tx = tx.clone();
        thread::spawn(move || {
            for result in fetched {
                tx.send(result).unwrap();
            }
        });
    }
    drop(tx);
    rx.into_iter().collect()
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![1, 2], vec![3]], |id| id));
}
