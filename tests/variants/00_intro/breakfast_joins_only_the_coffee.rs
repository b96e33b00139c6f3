// expect-fail: both_are_ready_when_breakfast_returns
// expect-fail: coffee_and_toast_are_made_at_the_same_time
//
// Wrong variant of breakfast: both jobs run on threads of their own, but only
// the coffee is joined. With 400 ms of coffee and 300 ms of toast that looks
// right, because the toast happens to be ready first; when the toast takes
// longer, breakfast returns before it is done.

use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

pub fn breakfast() {
    let coffee = thread::spawn(make_coffee);
    let _toast = thread::spawn(make_toast);
    coffee.join().expect("coffee");
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
