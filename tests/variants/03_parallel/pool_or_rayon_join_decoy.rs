// expect-fail: hashing_runs_on_rayons_pool
// expect-fail: hashing_keeps_several_cores_busy
//
// Wrong variant of pool_or_rayon: `rayon::join` hashes the first two blocks at
// once, then the calling thread hashes the rest one after another. Two threads
// are busy at one moment, but most of the work is sequential.

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    if blocks.len() < 2 {
        return blocks.iter().map(|b| hash(b)).collect();
    }
    let (first, second) = rayon::join(|| hash(&blocks[0]), || hash(&blocks[1]));
    let mut hashes = vec![first, second];
    hashes.extend(blocks[2..].iter().map(|b| hash(b)));
    hashes
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
