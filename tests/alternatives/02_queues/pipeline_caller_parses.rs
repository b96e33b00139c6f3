// Correct alternative for pipeline: only the downloader gets a new thread; the
// calling thread is the parse stage, reading pages as they come.

use std::sync::mpsc;
use std::thread;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (pages_tx, pages) = mpsc::channel();
    let downloader = thread::spawn(move || {
        for id in ids {
            if pages_tx.send(download(id)).is_err() {
                break;
            }
        }
    });
    let results = pages.into_iter().map(parse).collect();
    downloader.join().expect("the downloader panicked");
    results
}

fn main() {}
