// Data parallelism with rayon.
//
// Correct alternative: a parallel range over the block indices
// (`into_par_iter`), which rayon splits like a slice; `collect` keeps the
// order of the indices.

use rayon::prelude::*;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    (0..blocks.len()).into_par_iter().map(|i| checksum(&blocks[i])).collect()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    (0..blocks.len().min(expected.len()))
        .into_par_iter()
        .filter(|&i| checksum(&blocks[i]) != expected[i])
        .count()
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 1024]).collect();
    let sum = |b: &[u8]| b.iter().map(|&x| u64::from(x)).sum();
    let sums = checksums(&blocks, sum);
    println!("{sums:?}, {} corrupt", count_corrupt(&blocks, &sums, sum));
}
