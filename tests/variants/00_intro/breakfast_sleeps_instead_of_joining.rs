// expect-fail: both_are_ready_when_breakfast_returns
// expect-fail: coffee_and_toast_are_made_at_the_same_time
//
// Wrong variant of breakfast: both jobs run at the same time, and instead of
// joining them breakfast sleeps for as long as the coffee usually takes. When
// the jobs take longer, it returns before they are done; when they are quick,
// it waits for nothing.

use std::thread;
use std::time::{Duration, Instant};

use concur_kit::workload::{make_coffee, make_toast};

pub fn breakfast() {
    thread::spawn(make_coffee);
    thread::spawn(make_toast);
    thread::sleep(Duration::from_millis(400));
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
