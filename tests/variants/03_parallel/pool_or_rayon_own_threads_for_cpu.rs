// expect-fail: hashing_runs_on_rayons_pool
//
// Wrong variant of pool_or_rayon: hashing on four scoped threads of its own, one
// chunk of blocks each. Four is what this learner's laptop has; on another
// machine it is too many or too few. rayon's pool is sized to the cores.

use std::thread;

const CORES: usize = 4;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    let size = blocks.len().div_ceil(CORES).max(1);
    let hash = &hash;
    thread::scope(|s| {
        let parts: Vec<_> = blocks
            .chunks(size)
            .map(|part| s.spawn(move || part.iter().map(|b| hash(b)).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    })
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
