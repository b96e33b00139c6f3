// expect-fail: each_feed_keeps_its_order
//
// Wrong variant of many_producers: the producers are right, but the merged results are
// sorted before they are returned. With results that grow with the ids of each feed nobody
// could tell; the order they arrived in is lost.

use std::sync::mpsc;
use std::thread;

pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let (tx, rx) = mpsc::channel();
    for feed in feeds {
        let tx = tx.clone();
        let fetch = fetch.clone();
        thread::spawn(move || {
            for id in feed {
                tx.send(fetch(id)).unwrap();
            }
        });
    }
    drop(tx);
    let mut merged: Vec<u64> = rx.into_iter().collect();
    merged.sort_unstable();
    merged
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![1, 2], vec![3]], |id| id));
}
