// expect-fail: every_page_is_downloaded_once
//
// Wrong variant of pool_or_rayon: `connections` threads, each given a share of
// `urls.len() / connections` URLs. The division rounds down, so the URLs left
// over after the last full share are never downloaded.

use std::thread;

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
    let share = urls.len() / connections.max(1);
    let (urls, download) = (&urls, &download);
    thread::scope(|s| {
        let workers: Vec<_> = (0..connections)
            .map(|i| {
                s.spawn(move || {
                    urls[i * share..(i + 1) * share].iter().map(|u| download(u)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    })
}

fn main() {}
