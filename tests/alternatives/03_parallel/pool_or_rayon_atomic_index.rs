// Threads or rayon? It depends on what the work waits for.
//
// Correct alternative: hashing on rayon's pool in one chunk per thread
// (`par_chunks`); downloading on `connections` scoped threads that claim the
// next URL with an atomic counter and push their pages into a shared Vec.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use rayon::prelude::*;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    let size = blocks.len().div_ceil(rayon::current_num_threads()).max(1);
    blocks
        .par_chunks(size)
        .flat_map_iter(|chunk| chunk.iter().map(|b| hash(b)).collect::<Vec<_>>())
        .collect()
}

pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let next = AtomicUsize::new(0);
    let pages = Mutex::new(Vec::with_capacity(urls.len()));
    let (urls, next, pages_ref, download) = (&urls, &next, &pages, &download);
    thread::scope(|s| {
        for _ in 0..connections.max(1) {
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(i) else { break };
                let page = download(url);
                pages_ref.lock().unwrap().push(page);
            });
        }
    });
    pages.into_inner().unwrap()
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
