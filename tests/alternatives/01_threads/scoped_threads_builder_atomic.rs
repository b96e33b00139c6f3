// Correct alternative for scoped_threads: named scoped threads from
// `thread::Builder::spawn_scoped`, started in an explicit `for` loop over
// `chunks`, each adding its part's sum into one `AtomicU64` the threads borrow.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let total = AtomicU64::new(0);
    let size = numbers.len().div_ceil(threads).max(1);
    thread::scope(|s| {
        for (i, part) in numbers.chunks(size).enumerate() {
            let total = &total;
            thread::Builder::new()
                .name(format!("part {i}"))
                .spawn_scoped(s, move || {
                    total.fetch_add(slow_sum(part), Ordering::Relaxed);
                })
                .expect("a summing thread starts");
        }
    });
    total.into_inner()
}

fn main() {
    let numbers: Vec<u64> = (1..=16).collect();
    println!("{}", parallel_sum(&numbers, 4));
}
