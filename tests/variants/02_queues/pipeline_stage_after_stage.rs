// expect-fail: stages_work_at_the_same_time
//
// Wrong variant of pipeline: two threads and two channels, but the downloader
// collects every page before passing any on, so the parser only starts once the
// last download is done: the stages run one after another.

use std::sync::mpsc;
use std::thread;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (pages_tx, pages) = mpsc::channel();
    let (parsed_tx, parsed) = mpsc::channel();
    thread::spawn(move || {
        let all: Vec<String> = ids.into_iter().map(download).collect();
        for page in all {
            pages_tx.send(page).unwrap();
        }
    });
    thread::spawn(move || {
        for page in pages {
            parsed_tx.send(parse(page)).unwrap();
        }
    });
    parsed.into_iter().collect()
}

fn main() {}
