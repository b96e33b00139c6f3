// Correct alternative for pipeline: rendezvous channels (`sync_channel(0)`)
// carrying `Option<String>` with a `None` sentinel at the end; the parse stage
// pushes its results into an `Arc<Mutex<Vec<u64>>>` that `pipeline` reads
// once both stages are joined.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (page_tx, page_rx) = mpsc::sync_channel::<Option<String>>(0);
    let results = Arc::new(Mutex::new(Vec::new()));
    let downloader = thread::spawn(move || {
        for id in ids {
            page_tx.send(Some(download(id))).unwrap();
        }
        page_tx.send(None).unwrap();
    });
    let sink = Arc::clone(&results);
    let parser = thread::spawn(move || {
        while let Ok(Some(page)) = page_rx.recv() {
            let value = parse(page);
            sink.lock().unwrap().push(value);
        }
    });
    downloader.join().unwrap();
    parser.join().unwrap();
    let results = results.lock().unwrap().clone();
    results
}

fn main() {}
