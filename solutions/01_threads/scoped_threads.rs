// Scoped threads: every part of the slice is summed on its own thread, which
// borrows its part instead of receiving a copy.
//
// Reference solution. The part size is rounded up so that there are at most
// `threads` parts, and kept at least 1: `chunks(0)` panics, and an empty slice
// would otherwise ask for exactly that. The scope guarantees every thread is
// done before `numbers` could go away.

use std::thread;
use std::time::Instant;

use concur_kit::workload::slow_sum;

/// Sums `numbers` by summing `threads` parts of it at the same time, each on
/// its own thread. `threads` is at least 1.
///
/// # Panics
///
/// If a thread summing a part panics.
pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let part_size = numbers.len().div_ceil(threads.max(1)).max(1);
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(part_size)
            .map(|part| s.spawn(move || slow_sum(part)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a summing thread panicked"))
            .sum()
    })
}

fn main() {
    let numbers: Vec<u64> = (1..=16).collect();
    let started = Instant::now();
    let sum = parallel_sum(&numbers, 4);
    println!("the sum of 1..=16 is {sum}, in {:?}", started.elapsed());
}
