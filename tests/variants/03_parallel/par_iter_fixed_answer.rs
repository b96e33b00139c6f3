// expect-fail: corrupt_blocks_are_counted
//
// Wrong variant of par_iter: the checksums are computed (in parallel, on
// rayon's pool), but the count returned is the one of the test data the
// learner once saw, where 3 of the blocks were corrupt.

use rayon::prelude::*;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().map(|b| checksum(b)).collect()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], _expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().for_each(|b| {
        checksum(b);
    });
    3
}

fn main() {}
