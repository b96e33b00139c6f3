// Correct alternative for scoped_threads: `min(threads, len)` parts whose
// bounds are `k * len / parts` (sizes differ by at most one), sliced by hand;
// each scoped thread adds its sum into a `Mutex<u64>`, locked only to add.

use std::sync::Mutex;
use std::thread;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let len = numbers.len();
    let parts = threads.min(len);
    if parts == 0 {
        return 0;
    }
    let total = Mutex::new(0u64);
    thread::scope(|s| {
        for k in 0..parts {
            let part = &numbers[k * len / parts..(k + 1) * len / parts];
            let total = &total;
            s.spawn(move || {
                let sum = slow_sum(part);
                *total.lock().unwrap() += sum;
            });
        }
    });
    total.into_inner().unwrap()
}

fn main() {
    let numbers: Vec<u64> = (1..=16).collect();
    println!("{}", parallel_sum(&numbers, 4));
}
