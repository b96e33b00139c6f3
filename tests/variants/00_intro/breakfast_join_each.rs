// expect-fail: coffee_and_toast_are_made_at_the_same_time
//
// Wrong variant of breakfast: each job gets its own thread, but the thread is
// joined right after it is spawned, so the toast still waits for the coffee.
// Two threads, no overlap.

use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

pub fn breakfast() {
    thread::spawn(make_coffee).join().expect("coffee");
    thread::spawn(make_toast).join().expect("toast");
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
