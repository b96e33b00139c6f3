// expect-fail: downloads_use_every_connection_at_once
//
// Wrong variant of pool_or_rayon: rayon for the downloads too. Its pool has one
// thread per core, so only that many downloads wait at once.

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
    urls.par_iter().map(|u| download(u)).collect()
}

fn main() {}
