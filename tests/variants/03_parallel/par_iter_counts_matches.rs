// expect-fail: corrupt_blocks_are_counted
//
// Wrong variant of par_iter: the filter keeps the blocks whose checksum
// matches, so it counts the good blocks instead of the corrupt ones.

use rayon::prelude::*;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().map(|b| checksum(b)).collect()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().zip(expected).filter(|(b, w)| checksum(b) == **w).count()
}

fn main() {}
