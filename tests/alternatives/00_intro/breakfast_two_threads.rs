// Correct alternative for breakfast: each job on a thread of its own, both
// joined before breakfast returns; the calling thread only waits.

use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

/// Makes coffee and toast, and returns when both are ready.
pub fn breakfast() {
    let coffee = thread::spawn(make_coffee);
    let toast = thread::spawn(make_toast);
    coffee.join().expect("the coffee machine broke down");
    toast.join().expect("the toaster broke down");
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
