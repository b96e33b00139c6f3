// expect-fail: downloads_never_exceed_the_connections
//
// Wrong variant of pool_or_rayon: a thread per URL, ignoring `connections`.

use std::thread;

use rayon::prelude::*;

pub fn hash_blocks<H>(blocks: &[Vec<u8>], hash: H) -> Vec<u64>
where
    H: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().map(|b| hash(b)).collect()
}

pub fn download_all<D>(urls: Vec<String>, _connections: usize, download: D) -> Vec<String>
where
    D: Fn(&str) -> String + Sync + Send,
{
    let download = &download;
    thread::scope(|s| {
        let handles: Vec<_> = urls.iter().map(|u| s.spawn(move || download(u))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn main() {}
