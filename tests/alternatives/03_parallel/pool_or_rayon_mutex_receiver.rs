// Threads or rayon? It depends on what the work waits for.
//
// Correct alternative: hashing on rayon's pool through a parallel range of
// indices; downloading on `connections` scoped threads that share one std
// `mpsc` receiver behind a Mutex and send their pages back on a channel.

use std::sync::{mpsc, Mutex};
use std::thread;

use rayon::prelude::*;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    (0..blocks.len()).into_par_iter().map(|i| hash(&blocks[i])).collect()
}

pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let (url_tx, url_rx) = mpsc::channel();
    for url in urls {
        url_tx.send(url).expect("the receiver is held here");
    }
    drop(url_tx);
    let url_rx = Mutex::new(url_rx);
    let (page_tx, page_rx) = mpsc::channel();
    let (url_rx, download) = (&url_rx, &download);
    thread::scope(|s| {
        for _ in 0..connections.max(1) {
            let page_tx = page_tx.clone();
            s.spawn(move || loop {
                // The lock is held only while taking the next URL, not while downloading it.
                let next = url_rx.lock().unwrap().recv();
                match next {
                    Ok(url) => page_tx.send(download(&url)).expect("the pages are read below"),
                    Err(_) => break,
                }
            });
        }
    });
    drop(page_tx);
    page_rx.into_iter().collect()
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 1024]).collect();
    let hashes = hash_blocks(&blocks, |b| b.iter().map(|&x| u64::from(x)).sum());
    println!("{hashes:?}");
    let urls: Vec<String> = (1..=20).map(|i| format!("https://example.com/{i}")).collect();
    let pages = download_all(urls, 5, |url| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        format!("<html>{url}</html>")
    });
    println!("{} pages", pages.len());
}
