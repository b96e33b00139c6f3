// Correct alternative for breakfast: each job tells a channel when it is done,
// and breakfast waits for both messages instead of joining.

use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

/// Makes coffee and toast, and returns when both are ready.
pub fn breakfast() {
    let (done, ready) = mpsc::channel();
    let jobs: [fn(); 2] = [make_coffee, make_toast];
    for job in jobs {
        let done = done.clone();
        thread::spawn(move || {
            job();
            done.send(()).expect("breakfast is still waiting");
        });
    }
    drop(done);
    for _ in 0..2 {
        ready.recv().expect("a job thread ended without finishing its job");
    }
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
