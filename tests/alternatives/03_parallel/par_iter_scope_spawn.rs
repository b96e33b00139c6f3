// Data parallelism with rayon.
//
// Correct alternative: one task per block, spawned in a `rayon::scope`; the
// pool's threads take the tasks, and the scope returns once all are done. Each
// task writes its checksum into the slot of its block, so the order holds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let slots: Vec<Mutex<u64>> = blocks.iter().map(|_| Mutex::new(0)).collect();
    let (slots_ref, checksum) = (&slots, &checksum);
    rayon::scope(|scope| {
        for (block, slot) in blocks.iter().zip(slots_ref) {
            scope.spawn(move |_| *slot.lock().unwrap() = checksum(block));
        }
    });
    slots.into_iter().map(|slot| slot.into_inner().unwrap()).collect()
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    let corrupt = AtomicUsize::new(0);
    let (corrupt_ref, checksum) = (&corrupt, &checksum);
    rayon::scope(|scope| {
        for (block, want) in blocks.iter().zip(expected) {
            scope.spawn(move |_| {
                if checksum(block) != *want {
                    corrupt_ref.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    corrupt.into_inner()
}

fn main() {
    let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 1024]).collect();
    let sum = |b: &[u8]| b.iter().map(|&x| u64::from(x)).sum();
    let sums = checksums(&blocks, sum);
    println!("{sums:?}, {} corrupt", count_corrupt(&blocks, &sums, sum));
}
