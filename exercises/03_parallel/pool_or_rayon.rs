// Threads or rayon? It depends on what the work waits for.
//
// Work that keeps the CPU busy (hashing, compressing, resizing images) cannot go
// faster than the number of cores: a thread per item only adds switching and
// memory. rayon's pool has one thread per core, which is exactly right, and
// `par_iter` spreads the items over it.
//
// Work that mostly *waits* (downloads, database queries) is the opposite: a
// thread that waits uses no core, so you want as many in flight as the other
// side allows, usually far more than you have cores. rayon's pool is the wrong
// tool there: its few threads would sit waiting while the CPU idles. Use a pool
// of your own, sized to the number of connections: threads taking URLs from a
// shared queue, as in 02_queues/worker_pool.
//
// Your task: both functions below do everything one item after another. Choose
// the right tool for each, and make
//   - `hash_blocks` keep every core busy, with no more threads than there are
//     cores, returning the hashes in the order of `blocks`: that is rayon's
//     pool, so the hashes must run on its threads (no threads of your own);
//   - `download_all` keep `connections` downloads in flight at once (never
//     more), returning every page once, in any order. Any pool of
//     `connections` threads will do: threads of your own taking URLs from a
//     queue, or even a rayon pool you build with that many threads.
// Each block is hashed once and each URL downloaded once.
//
// `main` runs a small demo: `concur run pool_or_rayon`.

use std::thread;
use std::time::{Duration, Instant};

/// CPU-bound: the hash of every block, in the order of `blocks`.
pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    // TODO: choose the right tool for work that keeps the CPU busy.
    blocks.iter().map(|block| hash(block)).collect()
}

/// Waiting-bound: every page, downloaded with `connections` downloads in flight at once.
pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    // TODO: choose the right tool for work that mostly waits.
    let _ = connections;
    urls.iter().map(|url| download(url)).collect()
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..16u8).map(|i| vec![i; 1 << 20]).collect();
    let started = Instant::now();
    let hashes = hash_blocks(&blocks, |block| block.iter().fold(0u64, |h, &b| h.rotate_left(5) ^ u64::from(b)));
    println!("{} hashes in {:?}", hashes.len(), started.elapsed());

    let urls: Vec<String> = (1..=40).map(|i| format!("https://example.com/{i}")).collect();
    let started = Instant::now();
    let pages = download_all(urls, 10, |url| {
        thread::sleep(Duration::from_millis(100));
        format!("<html>{url}</html>")
    });
    println!("{} pages in {:?}", pages.len(), started.elapsed());
}
