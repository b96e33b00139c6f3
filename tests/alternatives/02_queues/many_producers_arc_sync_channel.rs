// Correct alternative for many_producers: `fetch` shared through an `Arc`
// instead of cloned, a small bounded `sync_channel` (the consumer keeps up, so
// no producer waits long), and the results collected with `iter().collect()`.

use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let fetch = Arc::new(fetch);
    let (tx, rx) = mpsc::sync_channel::<u64>(4);
    let handles: Vec<_> = feeds
        .into_iter()
        .map(|feed| {
            let (tx, fetch) = (tx.clone(), Arc::clone(&fetch));
            thread::spawn(move || {
                for id in feed {
                    if tx.send(fetch(id)).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    drop(tx);
    let merged: Vec<u64> = rx.iter().collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    merged
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![101, 102], vec![201, 202]], |id| id));
}
