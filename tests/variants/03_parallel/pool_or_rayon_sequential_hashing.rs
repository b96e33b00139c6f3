// expect-fail: hashing_runs_on_rayons_pool
// expect-fail: hashing_keeps_several_cores_busy
//
// Wrong variant of pool_or_rayon: hashing runs on the calling thread alone. It stays within
// the cores (one thread), so the thread count does not catch it: only one core is busy, and
// that thread is not rayon's.

// Threads or rayon? It depends on what the work waits for.
//
// Reference solution. Hashing keeps the CPU busy, so it goes to rayon, whose
// pool has one thread per core. Downloading mostly waits, so it gets a pool of
// its own with one thread per connection, all taking URLs from one crossbeam
// queue; scoped threads let them borrow `download`.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel;
use rayon::prelude::*;

/// CPU-bound: the hash of every block, in the order of `blocks`.
pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.iter().map(|block| hash(block)).collect()
}

/// Waiting-bound: every page, downloaded with `connections` downloads in flight at once.
pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let (queue, pending) = channel::unbounded();
    for url in urls {
        queue.send(url).expect("the receiving end is still held here");
    }
    drop(queue);

    let download = &download;
    thread::scope(|scope| {
        let workers: Vec<_> = (0..connections.max(1))
            .map(|_| {
                let pending = pending.clone();
                scope.spawn(move || pending.iter().map(|url| download(&url)).collect::<Vec<_>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
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
