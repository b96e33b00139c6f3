// expect-fail: coffee_and_toast_are_each_made_once
// expect-fail: both_are_ready_when_breakfast_returns
// expect-fail: coffee_and_toast_are_made_at_the_same_time
//
// Wrong variant of breakfast: it returns at once and makes nothing at all. It
// is very fast, and no job of it ever overlaps another.

use std::time::Instant;

pub fn breakfast() {}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
