// Correct alternative for worker_panic: `crossbeam::scope`. Every scoped handle
// is joined inside the scope, so a worker's panic comes back as `Err` from its
// `join()` and the scope itself returns `Ok`.

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    crossbeam::scope(|s| {
        let handles: Vec<_> = parts.iter().map(|&part| s.spawn(move |_| inspect(part))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().map_err(|payload| {
                    payload
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "a worker panicked".into())
                })
            })
            .collect()
    })
    .expect("every worker was joined")
}

fn main() {
    println!("{:?}", inspect_all(&[4, 8, 13]));
}
