// Breakfast: two jobs that wait, overlapping on two threads.
//
// Reference solution. The coffee is made on a new thread while the current
// thread makes the toast; joining the coffee thread makes `breakfast` wait for
// it. Spawning a thread for the toast too would work just as well.

use std::thread;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;

/// Makes the coffee: 400 ms of waiting for the machine.
pub fn make_coffee() {
    simulate("make coffee", Duration::from_millis(400));
}

/// Makes the toast: 300 ms of waiting for the toaster.
pub fn make_toast() {
    simulate("make toast", Duration::from_millis(300));
}

/// Makes coffee and toast, and returns when both are ready.
pub fn breakfast() {
    let coffee = thread::spawn(make_coffee);
    make_toast();
    coffee.join().expect("the coffee machine broke down");
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
