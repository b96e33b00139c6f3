// Correct alternative for scoped_threads: plain `thread::spawn` on owned copies
// of the parts (the copying the lesson avoids), every handle kept and joined.

use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let part_size = numbers.len().div_ceil(threads).max(1);
    let handles: Vec<_> = numbers
        .chunks(part_size)
        .map(|part| {
            let part = part.to_vec();
            thread::spawn(move || slow_sum(&part))
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

fn main() {}
