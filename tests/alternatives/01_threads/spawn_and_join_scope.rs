// Correct alternative for spawn_and_join: scoped threads, which may borrow the
// numbers; every handle is collected before the first one is joined.

use std::thread;
use std::time::Instant;

use concur_kit::workload::slow_square;

/// Squares every number, each on its own thread, and returns the squares in
/// the order of `numbers`.
pub fn squares(numbers: &[u64]) -> Vec<u64> {
    thread::scope(|s| {
        let handles: Vec<_> = numbers
            .iter()
            .map(|n| s.spawn(move || slow_square(*n)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a squaring thread panicked"))
            .collect()
    })
}

fn main() {
    let numbers = [3, 1, 4, 1, 5, 9, 2, 6];
    let started = Instant::now();
    let result = squares(&numbers);
    println!("squares of {numbers:?}: {result:?}");
    println!("took {:?}", started.elapsed());
}
