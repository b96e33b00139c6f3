// expect-fail: hashing_runs_on_rayons_pool
// expect-fail: hashing_uses_no_more_threads_than_cores
//
// Wrong variant of pool_or_rayon: a thread per block for CPU-bound hashing. It
// keeps the cores busy, with far more threads than cores, none of them rayon's.

use std::thread;

use crossbeam::channel;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    let hash = &hash;
    thread::scope(|s| {
        let handles: Vec<_> = blocks.iter().map(|b| s.spawn(move || hash(b))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

pub fn download_all<D>(urls: Vec<String>, connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let (tx, rx) = channel::unbounded();
    for url in urls {
        tx.send(url).unwrap();
    }
    drop(tx);
    let download = &download;
    thread::scope(|s| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let rx = rx.clone();
                s.spawn(move || rx.iter().map(|u| download(&u)).collect::<Vec<_>>())
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    })
}

fn main() {}
