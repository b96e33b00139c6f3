// Correct alternative for shared_counter: `Arc<Mutex<u64>>` whose guard is
// taken in its own statement for each increment; after joining, the last owner
// takes the count out with `Arc::try_unwrap` and `Mutex::into_inner`.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use concur_kit::workload::serve_page;

pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let served = Arc::new(Mutex::new(0u64));
    let mut handles: Vec<JoinHandle<()>> = Vec::with_capacity(workers);
    for worker in 0..workers {
        let counter = served.clone();
        handles.push(thread::spawn(move || {
            for page in 0..pages_per_worker {
                let found = serve_page(worker, page);
                if found {
                    let mut count = counter.lock().unwrap();
                    *count += 1;
                }
            }
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    Arc::try_unwrap(served)
        .expect("every worker has finished")
        .into_inner()
        .unwrap()
}

fn main() {
    println!("{}", serve_and_count(4, 4));
}
