// Correct alternative for worker_panic: each worker catches its own panic with
// `catch_unwind` and sends `(index, result)` over a channel; the caller puts the
// results back in the order of the parts.

use std::panic::catch_unwind;
use std::sync::mpsc;
use std::thread;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    let (tx, rx) = mpsc::channel();
    for (index, &part) in parts.iter().enumerate() {
        let tx = tx.clone();
        thread::spawn(move || {
            let result = catch_unwind(|| inspect(part)).map_err(|payload| {
                match payload.downcast::<String>() {
                    Ok(text) => *text,
                    Err(payload) => payload
                        .downcast_ref::<&str>()
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "a worker panicked".to_string()),
                }
            });
            tx.send((index, result)).unwrap();
        });
    }
    drop(tx);
    let mut results: Vec<Option<Result<u64, String>>> = vec![None; parts.len()];
    for (index, result) in rx {
        results[index] = Some(result);
    }
    results.into_iter().map(|r| r.expect("every worker sends")).collect()
}

fn main() {}
