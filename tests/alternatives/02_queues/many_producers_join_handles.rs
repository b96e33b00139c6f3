// Many producers, one consumer.
//
// Correct alternative: every producer is started first and its `JoinHandle` kept; the
// calling thread drains the channel with `recv()` until it reports that every sender is
// gone, then joins the producers, so a producer's panic is not lost.

use std::sync::mpsc;
use std::thread;

/// Fetches every item of every feed, one producer thread per feed, and returns the
/// results in the order they arrived through one shared channel.
pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let (sender, receiver) = mpsc::channel();
    let producers: Vec<thread::JoinHandle<()>> = feeds
        .into_iter()
        .map(|feed| {
            let sender = sender.clone();
            let fetch = fetch.clone();
            thread::spawn(move || feed.into_iter().for_each(|id| sender.send(fetch(id)).unwrap()))
        })
        .collect();
    drop(sender);
    let mut merged = Vec::new();
    while let Ok(result) = receiver.recv() {
        merged.push(result);
    }
    for producer in producers {
        producer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    merged
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![101, 102], vec![201, 202]], |id| id));
}
