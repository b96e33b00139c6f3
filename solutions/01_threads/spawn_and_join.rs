// Spawn and join: one thread per number, all started before any is joined.
//
// Reference solution. Every thread is spawned first, so they all sleep in
// `slow_square` at the same time; the handles are then joined in the order of
// `numbers`, which puts the results in that order too, whichever thread
// finishes first.

use std::thread;
use std::time::Instant;

use concur_kit::workload::slow_square;

/// Squares every number, each on its own thread, and returns the squares in
/// the order of `numbers`.
///
/// # Panics
///
/// If squaring a number panics.
pub fn squares(numbers: &[u64]) -> Vec<u64> {
    let handles: Vec<_> = numbers
        .iter()
        .map(|&n| thread::spawn(move || slow_square(n)))
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a squaring thread panicked"))
        .collect()
}

fn main() {
    let numbers = [3, 1, 4, 1, 5, 9, 2, 6];
    let started = Instant::now();
    let result = squares(&numbers);
    println!("squares of {numbers:?}: {result:?}");
    println!("took {:?}", started.elapsed());
}
