// Many producers, one consumer.
//
// Correct alternative: a crossbeam channel and scoped threads. The producers borrow `fetch`
// instead of cloning it, and the consumer drains the channel inside the scope while they
// work; the scope joins every producer before it returns.

use std::thread;

use crossbeam::channel;

/// Fetches every item of every feed, one producer thread per feed, and returns the
/// results in the order they arrived through one shared channel.
pub fn merge_feeds<F>(feeds: Vec<Vec<u64>>, fetch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Send + Sync + Clone + 'static,
{
    let (results, arrived) = channel::unbounded();
    let fetch = &fetch;
    thread::scope(|scope| {
        for feed in &feeds {
            let results = results.clone();
            scope.spawn(move || {
                for &id in feed {
                    results.send(fetch(id)).expect("the receiver outlives the producers");
                }
            });
        }
        drop(results);
        arrived.iter().collect()
    })
}

fn main() {
    println!("{:?}", merge_feeds(vec![vec![101, 102], vec![201, 202]], |id| id));
}
