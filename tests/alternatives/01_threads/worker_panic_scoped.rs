// Correct alternative for worker_panic: scoped threads. A scoped thread's
// `join()` also hands a panic back as `Err(payload)`; the scope itself does not
// re-raise it once it has been joined.

use std::thread;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .map(|&part| s.spawn(move || inspect(part)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().map_err(|payload| {
                    if let Some(text) = payload.downcast_ref::<String>() {
                        text.clone()
                    } else if let Some(text) = payload.downcast_ref::<&str>() {
                        text.to_string()
                    } else {
                        "a worker panicked".to_string()
                    }
                })
            })
            .collect()
    })
}

fn main() {}
