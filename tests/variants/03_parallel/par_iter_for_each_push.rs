// expect-fail: checksums_are_in_block_order
//
// Wrong variant of par_iter: `for_each` pushes every checksum into a shared
// Vec as soon as it is done, so the results come in the order the threads
// finish, not in block order.

use std::sync::Mutex;

use rayon::prelude::*;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let sums = Mutex::new(Vec::with_capacity(blocks.len()));
    blocks.par_iter().for_each(|block| {
        let sum = checksum(block);
        sums.lock().unwrap().push(sum);
    });
    sums.into_inner().unwrap()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.par_iter().zip(expected).filter(|(b, w)| checksum(b) != **w).count()
}

fn main() {}
