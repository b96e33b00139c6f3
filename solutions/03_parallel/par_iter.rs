// Data parallelism with rayon.
//
// Reference solution. `par_iter` splits the slice among rayon's thread pool;
// `collect` into a Vec puts every result back at its block's index, and
// `zip`/`filter`/`count` combine the per-thread counts. The closure passed in
// only needs to be `Sync`: rayon's threads call it through a shared reference.

use std::time::Instant;

use rayon::prelude::*;

/// The checksum of every block, in the order of `blocks`.
pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().map(|block| checksum(block)).collect()
}

/// How many blocks do not have their expected checksum.
pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks
        .par_iter()
        .zip(expected)
        .filter(|(block, want)| checksum(block) != **want)
        .count()
}

fn fnv1a(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..200 {
        for &byte in data {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..32u8).map(|i| vec![i; 64 * 1024]).collect();
    let started = Instant::now();
    let sums = checksums(&blocks, fnv1a);
    println!("32 checksums in {:?}", started.elapsed());
    let mut expected = sums.clone();
    expected[3] ^= 1;
    let started = Instant::now();
    let corrupt = count_corrupt(&blocks, &expected, fnv1a);
    println!("{corrupt} corrupt block(s) found in {:?}", started.elapsed());
}
