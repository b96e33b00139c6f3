// Data parallelism with rayon.
//
// Correct alternative: an ordinary iterator handed to rayon with `par_bridge`.
// The pool's threads pull items from it as they become free; the items come
// out in no particular order, so each checksum carries its block's index and
// the results are put back in order at the end.

use rayon::iter::ParallelBridge;
use rayon::prelude::*;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let mut sums: Vec<(usize, u64)> = blocks
        .iter()
        .enumerate()
        .par_bridge()
        .map(|(i, block)| (i, checksum(block)))
        .collect();
    sums.sort_unstable_by_key(|&(i, _)| i);
    sums.into_iter().map(|(_, sum)| sum).collect()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks
        .iter()
        .zip(expected)
        .par_bridge()
        .filter(|(block, want)| checksum(block) != **want)
        .count()
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 1024]).collect();
    let sum = |b: &[u8]| b.iter().map(|&x| u64::from(x)).sum();
    let sums = checksums(&blocks, sum);
    println!("{sums:?}, {} corrupt", count_corrupt(&blocks, &sums, sum));
}
