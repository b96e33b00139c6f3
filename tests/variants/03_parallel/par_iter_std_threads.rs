// expect-fail: checksums_run_on_rayons_threads
// expect-fail: counting_runs_on_rayons_threads
//
// Wrong variant of par_iter: four scoped threads of its own, one chunk of the
// blocks each. The answers are right and four checksums run at once, but the
// task is to use rayon, and none of these threads is rayon's.

use std::thread;

const THREADS: usize = 4;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let size = blocks.len().div_ceil(THREADS).max(1);
    let checksum = &checksum;
    thread::scope(|s| {
        let parts: Vec<_> = blocks
            .chunks(size)
            .map(|part| s.spawn(move || part.iter().map(|b| checksum(b)).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    })
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let size = blocks.len().div_ceil(THREADS).max(1);
    let checksum = &checksum;
    thread::scope(|s| {
        let parts: Vec<_> = blocks
            .chunks(size)
            .zip(expected.chunks(size))
            .map(|(part, want)| {
                s.spawn(move || part.iter().zip(want).filter(|(b, w)| checksum(b) != **w).count())
            })
            .collect();
        parts.into_iter().map(|p| p.join().unwrap()).sum()
    })
}

fn main() {}
