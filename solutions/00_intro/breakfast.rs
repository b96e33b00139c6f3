// Breakfast: two jobs that wait, overlapping on two threads.
//
// Reference solution. The coffee is made on a new thread while the current
// thread makes the toast; joining the coffee thread makes `breakfast` wait for
// it. Spawning a thread for the toast too would work just as well.

use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

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
