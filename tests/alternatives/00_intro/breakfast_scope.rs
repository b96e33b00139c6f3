// Correct alternative for breakfast: a thread scope, which joins every thread
// spawned in it before it returns.

use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

/// Makes coffee and toast, and returns when both are ready.
pub fn breakfast() {
    thread::scope(|s| {
        s.spawn(make_toast);
        make_coffee();
    });
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
