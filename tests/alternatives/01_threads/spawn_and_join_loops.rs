// Correct alternative for spawn_and_join: two plain loops, one that spawns a
// named thread per number and keeps its handle, one that joins them in order.

use std::thread::{self, JoinHandle};
use std::time::Instant;

use concur_kit::workload::slow_square;

/// Squares every number, each on its own thread, and returns the squares in
/// the order of `numbers`.
pub fn squares(numbers: &[u64]) -> Vec<u64> {
    let mut handles: Vec<JoinHandle<u64>> = Vec::with_capacity(numbers.len());
    for &n in numbers {
        let handle = thread::Builder::new()
            .name(format!("square {n}"))
            .spawn(move || slow_square(n))
            .expect("the system can start another thread");
        handles.push(handle);
    }
    let mut squares = Vec::with_capacity(handles.len());
    for handle in handles {
        squares.push(handle.join().expect("a squaring thread panicked"));
    }
    squares
}

fn main() {
    let numbers = [3, 1, 4, 1, 5, 9, 2, 6];
    let started = Instant::now();
    let result = squares(&numbers);
    println!("squares of {numbers:?}: {result:?}");
    println!("took {:?}", started.elapsed());
}
