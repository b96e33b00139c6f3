// Data parallelism with rayon
//
// Threads and channels are the tools for work that *waits*. For work that keeps
// the CPU busy, such as checksumming many blocks of data, the question is only how
// to spread it over every core. rayon answers it with one change: `.iter()`
// becomes `.par_iter()` (from `use rayon::prelude::*;`), and the work is split
// among a pool of threads, one per core, that steal work from each other when
// they run out. `map`, `filter`, `zip`, `sum`, `count` and `collect` work as
// usual, and `collect` keeps the order of the input.
//
// The two functions below do their work one block after another. Your task:
// make both of them spread the work over all cores with rayon, keeping their
// results exactly as they are now. Any of rayon's tools will do (`par_iter`,
// `par_chunks`, `rayon::scope`, ...), as long as the checksums run on rayon's
// threads, several at the same moment, and each block is checksummed once.
//
// `main` runs a small demo: `concur run par_iter`.

use std::time::Instant;

/// The checksum of every block, in the order of `blocks`.
pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    // TODO: spread this over all cores.
    blocks.iter().map(|block| checksum(block)).collect()
}

/// How many blocks do not have their expected checksum.
pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    // TODO: spread this over all cores.
    blocks
        .iter()
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
