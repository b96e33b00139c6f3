// expect-fail: both_are_ready_when_breakfast_returns
//
// Wrong variant of breakfast: both jobs run at the same time on their own
// threads, but nobody waits for them, so breakfast returns before either is
// ready.

use std::thread;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;

pub fn make_coffee() {
    simulate("make coffee", Duration::from_millis(400));
}

pub fn make_toast() {
    simulate("make toast", Duration::from_millis(300));
}

pub fn breakfast() {
    thread::spawn(make_coffee);
    thread::spawn(make_toast);
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
