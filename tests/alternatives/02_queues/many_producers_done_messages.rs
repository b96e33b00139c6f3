// Correct alternative for many_producers: sentinel messages instead of
// counting on dropped senders. Every producer (a named thread from
// `thread::Builder`) sends `Msg::Item` for each result and `Msg::Done` at the
// end; the consumer stops after one `Done` per feed, then joins the producers.

use crossbeam::channel;
use std::thread;

enum Msg {
    Item(u64),
    Done,
}

pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let (tx, rx) = channel::unbounded();
    let producers = feeds.len();
    let mut handles = Vec::new();
    for (i, feed) in feeds.into_iter().enumerate() {
        let tx = tx.clone();
        let fetch = fetch.clone();
        let handle = thread::Builder::new()
            .name(format!("feed {i}"))
            .spawn(move || {
                for id in feed {
                    tx.send(Msg::Item(fetch(id))).unwrap();
                }
                tx.send(Msg::Done).unwrap();
            })
            .unwrap();
        handles.push(handle);
    }
    let mut merged = Vec::new();
    let mut done = 0;
    while done < producers {
        match rx.recv().expect("a producer is still sending") {
            Msg::Item(result) => merged.push(result),
            Msg::Done => done += 1,
        }
    }
    for handle in handles {
        handle.join().unwrap();
    }
    merged
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![101, 102], vec![201, 202]], |id| id));
}
