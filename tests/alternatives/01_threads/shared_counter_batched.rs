// Correct alternative for shared_counter: every worker counts its own pages in a
// local variable and adds them to the shared `Arc<Mutex<u64>>` once, when it is
// done, so each worker takes the lock a single time.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use concur_kit::workload::serve_page;

/// Runs `workers` threads at once, each asking for `pages_per_worker` pages,
/// and returns how many pages were served, counted in one shared counter.
pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(Mutex::new(0_u64));
    let mut handles = Vec::new();
    for worker in 0..workers {
        let served = Arc::clone(&served);
        handles.push(thread::spawn(move || {
            let mine = (0..pages_per_worker)
                .filter(|&page| serve_page(worker, page))
                .count() as u64;
            *served.lock().expect("a worker panicked while counting") += mine;
        }));
    }
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    let total = *served.lock().expect("a worker panicked while counting");
    total
}

fn main() {
    let started = Instant::now();
    let served = serve_and_count(4, 4);
    println!("4 workers served {served} pages in {:?}", started.elapsed());
}
