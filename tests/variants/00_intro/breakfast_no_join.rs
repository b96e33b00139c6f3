// expect-fail: both_are_ready_when_breakfast_returns
// expect-fail: coffee_and_toast_are_made_at_the_same_time
//
// Wrong variant of breakfast: both jobs run at the same time on their own
// threads, but nobody waits for them, so breakfast returns before either is
// ready.

use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

pub fn breakfast() {
    thread::spawn(make_coffee);
    thread::spawn(make_toast);
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
