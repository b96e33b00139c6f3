// Correct alternative for pipeline: scoped threads and crossbeam's bounded
// channels (room for one item), so the downloader is never more than a page
// ahead; the results channel is collected by the calling thread.

use crossbeam::channel;
use std::thread;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (pages_tx, pages) = channel::bounded::<String>(1);
    let (parsed_tx, parsed) = channel::bounded::<u64>(1);
    thread::scope(|s| {
        s.spawn(move || {
            for id in ids {
                pages_tx.send(download(id)).unwrap();
            }
        });
        s.spawn(move || {
            for page in pages {
                parsed_tx.send(parse(page)).unwrap();
            }
        });
        parsed.iter().collect()
    })
}

fn main() {}
