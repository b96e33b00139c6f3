// Breakfast: concurrency and parallelism
//
// Making breakfast, you start the coffee machine and, while it runs, put bread
// in the toaster. Neither job needs you while it runs, so they overlap: that is
// CONCURRENCY, several jobs in progress at the same time. PARALLELISM is when
// several of them are being *computed* at the same instant, which needs several
// CPU cores. Waiting (for a coffee machine, a disk, a server) uses no core at
// all, so waiting jobs can overlap even on a single-core machine; number
// crunching only gets faster with more cores. This course does both, and says
// which one each exercise is about. Here it is waiting.
//
// A thread is the simplest way to get jobs to overlap. `std::thread::spawn`
// starts a closure on a new thread and returns at once with a `JoinHandle`;
// the thread runs alongside the code that spawned it. `handle.join()` waits
// until that thread has finished.
//
// `make_coffee` and `make_toast` come from concur's kit: they wait for the
// machine (about 400 ms) and the toaster (about 300 ms), and tell the checks
// when each job started and ended, and on which thread. The checks draw that
// as a timeline, and they pick other cooking times on every run, so either
// job may be the longer one.
//
// Your task: `breakfast` makes the coffee, then the toast: 400 + 300 ms. Make
// it do both at the same time, so breakfast is ready as soon as the longer job
// is done. It must still not return before both are done.
//
// `concur run breakfast` shows how long yours takes.

use std::time::Instant;

use concur_kit::workload::{make_coffee, make_toast};

/// Makes coffee and toast, and returns when both are ready.
pub fn breakfast() {
    // TODO: the toast only starts once the coffee is done. Run the two jobs
    // at the same time, and wait for both before returning.
    make_coffee();
    make_toast();
}

fn main() {
    let started = Instant::now();
    breakfast();
    println!("breakfast was ready after {:?}", started.elapsed());
}
