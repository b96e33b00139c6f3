// expect-fail: hashing_uses_no_more_threads_than_cores
//
// Wrong variant of pool_or_rayon: rayon, but a pool of its own with a thread
// per block, "so that every block gets a thread". For work that keeps the CPU
// busy, threads beyond one per core only take turns.

use rayon::prelude::*;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(blocks.len().max(1))
        .build()
        .unwrap();
    pool.install(|| blocks.par_iter().map(|b| hash(b)).collect())
}

/// A correct pool for the downloads: `connections` scoped threads taking URLs from one queue.
pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let (tx, rx) = crossbeam::channel::unbounded();
    for url in urls {
        tx.send(url).unwrap();
    }
    drop(tx);
    let download = &download;
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..connections.max(1))
            .map(|_| {
                let rx = rx.clone();
                s.spawn(move || rx.iter().map(|u| download(&u)).collect::<Vec<_>>())
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    })
}

fn main() {}
