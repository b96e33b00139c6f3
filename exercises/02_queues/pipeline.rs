// Pipelines
//
// Some work comes in stages: first download a page, then parse it. Done one item
// at a time, the parser waits while a page downloads and the downloader waits
// while a page is parsed. In a *pipeline*, each stage is its own thread,
// connected to the next by a channel: while the parser works on page 1, the
// downloader already fetches page 2. Each stage keeps its items in order,
// because a channel is first in, first out.
//
// A pipeline shuts down from the front: when the first stage runs out of input
// it drops its sender, which ends the next stage's loop, which drops *its*
// sender, and so on down the line.
//
// Your task: write `pipeline`. It must
//   - download every id with `download` on one thread,
//   - parse every page with `parse` on another thread, while downloads go on,
//   - return the parsed results in the order of `ids`.
//
// `main` runs a small demo: `concur run pipeline`.

use std::thread;
use std::time::{Duration, Instant};

/// Downloads and parses every id, the two stages working at the same time on
/// different items; returns the parsed values in the order of `ids`.
pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    // TODO: one thread per stage, a channel between them, and one from the last
    // stage back to here.
    todo!("run {} ids through the pipeline", ids.len())
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
