// Data parallelism with rayon.
//
// Correct alternative: a rayon thread pool of its own, sized the default way
// (one thread per core, or RAYON_NUM_THREADS), and the parallel iterators run
// inside it with `install`. `par_extend` fills the Vec in block order; the
// count is a `fold` per thread, then a `sum`.

use rayon::prelude::*;
use rayon::ThreadPool;

fn pool() -> ThreadPool {
    rayon::ThreadPoolBuilder::new().build().expect("a thread pool")
}

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    pool().install(|| {
        let mut sums = Vec::with_capacity(blocks.len());
        sums.par_extend(blocks.par_iter().map(|b| checksum(b)));
        sums
    })
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    pool().install(|| {
        blocks
            .par_iter()
            .zip(expected)
            .fold(|| 0, |n, (b, w)| n + usize::from(checksum(b) != *w))
            .sum()
    })
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 1024]).collect();
    let sum = |b: &[u8]| b.iter().map(|&x| u64::from(x)).sum();
    let sums = checksums(&blocks, sum);
    println!("{sums:?}, {} corrupt", count_corrupt(&blocks, &sums, sum));
}
