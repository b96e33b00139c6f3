// Correct alternative for spawn_and_join: every thread sends its square back
// with its index over a channel, and the squares are put in place by index, so
// they come back in the order of the numbers whatever order they arrive in.

use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use concur_kit::workload::slow_square;

/// Squares every number, each on its own thread, and returns the squares in
/// the order of `numbers`.
pub fn squares(numbers: &[u64]) -> Vec<u64> {
    let (results, arrived) = mpsc::channel();
    for (i, &n) in numbers.iter().enumerate() {
        let results = results.clone();
        thread::spawn(move || {
            results
                .send((i, slow_square(n)))
                .expect("squares is still waiting");
        });
    }
    drop(results);
    let mut squares = vec![0; numbers.len()];
    for (i, square) in arrived {
        squares[i] = square;
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
