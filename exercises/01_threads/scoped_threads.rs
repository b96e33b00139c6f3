// Scoped threads: borrowing instead of owning
//
// `thread::spawn` wants a closure that owns everything it uses, because the
// thread may outlive the function that started it. But often the threads are
// done before the function returns, and copying the data into each of them
// would be a waste. `std::thread::scope` is made for that:
//
//     thread::scope(|s| {
//         s.spawn(|| ...);   // may borrow anything that outlives the scope
//         s.spawn(|| ...);
//     }); // every thread spawned on `s` has finished when we get here
//
// Because the scope waits for all its threads before it returns, the compiler
// knows borrowed data outlives them, and the closures may use plain references.
// `s.spawn` returns a handle whose `join()` gives the closure's value, just
// like `thread::spawn`.
//
// Your task: `parallel_sum` must cut `numbers` into `threads` parts of about
// the same size (`chunks` on a slice does the cutting), sum every part with
// `slow_sum` on its own thread, all at the same time, and add up the results.
// `slow_sum` (the kit's, `concur_kit::workload::slow_sum`) takes 25 to 35 ms
// per number; the checks choose how long. Mind the corners: no numbers at all, or
// fewer numbers than threads. `threads` is never zero.

use std::time::Instant;

use concur_kit::workload::slow_sum;

/// Sums `numbers` by summing `threads` parts of it at the same time, each on
/// its own thread. `threads` is at least 1.
pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    // TODO: this sums everything on one thread. Cut `numbers` into parts,
    // start a scoped thread per part, and add up what the threads return.
    let _ = threads;
    slow_sum(numbers)
}

fn main() {
    let numbers: Vec<u64> = (1..=16).collect();
    let started = Instant::now();
    let sum = parallel_sum(&numbers, 4);
    println!("the sum of 1..=16 is {sum}, in {:?}", started.elapsed());
}
