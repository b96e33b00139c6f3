// expect-fail: producers_work_at_the_same_time
//
// Wrong variant of many_producers: each producer is joined before the next one
// starts, so the feeds are fetched one after another.

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
        })
        .join()
        .unwrap();
    }
    drop(tx);
    rx.into_iter().collect()
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![1, 2], vec![3]], |id| id));
}
