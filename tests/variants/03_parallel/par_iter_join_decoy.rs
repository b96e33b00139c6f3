// expect-fail: checksums_run_on_rayons_threads
// expect-fail: checksums_run_on_several_threads_at_once
//
// Wrong variant of par_iter: `rayon::join` checksums the first two blocks at
// once, and the calling thread does the rest one after another. Two threads
// are seen busy at the same moment, but most of the work is sequential.

use rayon::prelude::*;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    if blocks.len() < 2 {
        return blocks.iter().map(|b| checksum(b)).collect();
    }
    let (first, second) = rayon::join(|| checksum(&blocks[0]), || checksum(&blocks[1]));
    let mut sums = vec![first, second];
    sums.extend(blocks[2..].iter().map(|b| checksum(b)));
    sums
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().zip(expected).filter(|(b, w)| checksum(b) != **w).count()
}

fn main() {}
