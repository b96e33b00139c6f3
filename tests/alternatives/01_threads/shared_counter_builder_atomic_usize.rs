// Correct alternative for shared_counter: an `Arc<AtomicUsize>` counter, named
// worker threads from `thread::Builder` (spawn errors collected into an
// `io::Result<Vec<JoinHandle>>`), and `for_each` over each worker's pages.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use concur_kit::workload::serve_page;

pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(AtomicUsize::new(0));
    let handles = (0..workers)
        .map(|worker| {
            let served = Arc::clone(&served);
            thread::Builder::new().name(format!("worker {worker}")).spawn(move || {
                (0..pages_per_worker)
                    .filter(|&page| serve_page(worker, page))
                    .for_each(|_| {
                        served.fetch_add(1, Ordering::SeqCst);
                    });
            })
        })
        .collect::<io::Result<Vec<_>>>()
        .expect("the workers start");
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    served.load(Ordering::SeqCst) as u64
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
