// Pipelines.
//
// Reference solution. Each stage is a thread that owns its input receiver and
// its output sender. When a stage's input ends, its sender is dropped with it,
// which ends the next stage: the whole pipeline winds down in order, with no
// stop message. The channels are FIFO and each stage is one thread, so the
// results come out in the order of `ids`.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Downloads and parses every id, the two stages working at the same time on
/// different items; returns the parsed values in the order of `ids`.
pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (pages_tx, pages) = mpsc::channel();
    let (parsed_tx, parsed) = mpsc::channel();

    let downloader = thread::spawn(move || {
        for id in ids {
            if pages_tx.send(download(id)).is_err() {
                break; // the next stage is gone
            }
        }
    });
    let parser = thread::spawn(move || {
        for page in pages {
            if parsed_tx.send(parse(page)).is_err() {
                break;
            }
        }
    });

    let results = parsed.into_iter().collect();
    // Re-raise a stage's panic as it was, so its message is not lost.
    for stage in [downloader, parser] {
        stage.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    results
}

fn main() {
    let started = Instant::now();
    let download = |id: u64| {
        thread::sleep(Duration::from_millis(100));
        format!("<p>{}</p>", "word ".repeat(id as usize))
    };
    let parse = |page: String| {
        thread::sleep(Duration::from_millis(100));
        page.split_whitespace().count() as u64
    };
    let words = pipeline((1..=6).collect(), download, parse);
    println!("words per page: {words:?}");
    println!("6 downloads and 6 parses of 100 ms took {:?}", started.elapsed());
}
