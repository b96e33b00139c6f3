// Correct alternative for pipeline: named stage threads from `thread::Builder`,
// crossbeam channels carrying each item's position with it, and the caller
// putting every result into its slot (the order does not rely on FIFO).

use std::thread;

use crossbeam::channel;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let n = ids.len();
    let (pages_tx, pages_rx) = channel::unbounded::<(usize, String)>();
    let (out_tx, out_rx) = channel::unbounded::<(usize, u64)>();
    let downloader = thread::Builder::new()
        .name("download".into())
        .spawn(move || {
            for (i, id) in ids.into_iter().enumerate() {
                pages_tx.send((i, download(id))).unwrap();
            }
        })
        .unwrap();
    let parser = thread::Builder::new()
        .name("parse".into())
        .spawn(move || {
            for (i, page) in pages_rx {
                out_tx.send((i, parse(page))).unwrap();
            }
        })
        .unwrap();
    let mut slots = vec![None; n];
    for (i, value) in out_rx {
        slots[i] = Some(value);
    }
    downloader.join().unwrap();
    parser.join().unwrap();
    slots.into_iter().map(|s| s.expect("every item is parsed")).collect()
}

fn main() {}
