// expect-fail: one_producer_thread_per_feed
//
// Wrong variant of many_producers: each feed's thread starts a thread per item, joins them
// in order and sends the results. Fast, and every feed keeps its order, but the number of
// threads grows with the number of items: thousands of items, thousands of threads.

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
            let items: Vec<_> = feed
                .into_iter()
                .map(|id| {
                    let fetch = fetch.clone();
                    thread::spawn(move || fetch(id))
                })
                .collect();
            for item in items {
                tx.send(item.join().unwrap()).unwrap();
            }
        });
    }
    drop(tx);
    rx.into_iter().collect()
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![1, 2], vec![3]], |id| id));
}
