// Threads or rayon? It depends on what the work waits for.
//
// Correct alternative: rayon's global pool for the hashes; for the downloads a
// rayon pool of its own with exactly `connections` threads, so that many wait
// at once and never more.

use rayon::prelude::*;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().map(|b| hash(b)).collect()
}

pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(connections.max(1))
        .build()
        .expect("a thread pool");
    pool.install(|| urls.par_iter().map(|url| download(url)).collect())
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
