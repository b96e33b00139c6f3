// expect-fail: every_item_comes_out_once_in_order
//
// Wrong variant of pipeline: a right two-stage pipeline that sorts its results
// before returning them, so they are no longer in the order of the ids.

use std::sync::mpsc;
use std::thread;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (pages_tx, pages) = mpsc::channel();
    let (parsed_tx, parsed) = mpsc::channel();
    let downloader = thread::spawn(move || {
        for id in ids {
            pages_tx.send(download(id)).unwrap();
        }
    });
    let parser = thread::spawn(move || {
        for page in pages {
            parsed_tx.send(parse(page)).unwrap();
        }
    });
    let mut results: Vec<u64> = parsed.into_iter().collect();
    downloader.join().unwrap();
    parser.join().unwrap();
    results.sort_unstable();
    results
}

fn main() {}
