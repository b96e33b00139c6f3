// Data parallelism with rayon.
//
// Correct alternative: the blocks are cut into one chunk per thread of rayon's
// pool with `par_chunks`, and each chunk is checksummed one block after another
// on the thread that took it. `flat_map_iter` keeps the chunks, and so the
// blocks, in order.

use rayon::prelude::*;

fn chunk_size(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads()).max(1)
}

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks
        .par_chunks(chunk_size(blocks.len()))
        .flat_map_iter(|chunk| chunk.iter().map(|b| checksum(b)).collect::<Vec<_>>())
        .collect()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let size = chunk_size(blocks.len());
    blocks
        .par_chunks(size)
        .zip(expected.par_chunks(size))
        .map(|(chunk, want)| chunk.iter().zip(want).filter(|(b, w)| checksum(b) != **w).count())
        .sum()
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 1024]).collect();
    let sum = |b: &[u8]| b.iter().map(|&x| u64::from(x)).sum();
    let sums = checksums(&blocks, sum);
    println!("{sums:?}, {} corrupt", count_corrupt(&blocks, &sums, sum));
}
