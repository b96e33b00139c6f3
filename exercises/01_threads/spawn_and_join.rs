// Spawn and join
//
// `std::thread::spawn(closure)` starts the closure on a new thread and returns
// straight away with a `JoinHandle`. The new thread and the one that spawned it
// now run side by side. `handle.join()` waits for the thread to finish and
// hands back what the closure returned, wrapped in a `Result` (it is an `Err`
// if the thread panicked; a later exercise deals with that).
//
// The order matters: spawn first, join later. A thread that is joined right
// after it is spawned has nothing to run alongside, and the program is as slow
// as if there were no threads at all.
//
// `slow_square` below stands for real work that waits, such as a request to a
// server: it takes 100 ms. Squaring 8 numbers one after another takes 800 ms.
//
// Your task: make `squares` square every number on its own thread, all at the
// same time, and return the squares in the same order as `numbers`.
//
// A closure that runs on another thread must own what it uses: write
// `move || ...` so it takes its own copy of the number.

use std::time::Instant;

use concur_kit::workload::slow_square;

/// Squares every number, each on its own thread, and returns the squares in
/// the order of `numbers`.
pub fn squares(numbers: &[u64]) -> Vec<u64> {
    // TODO: this squares one number after another, on this thread. Spawn one
    // thread per number first, then join every handle, in order.
    numbers.iter().map(|&n| slow_square(n)).collect()
}

fn main() {
    let numbers = [3, 1, 4, 1, 5, 9, 2, 6];
    let started = Instant::now();
    let result = squares(&numbers);
    println!("squares of {numbers:?}: {result:?}");
    println!("took {:?}", started.elapsed());
}
