// expect-fail: parts_are_inspected_at_the_same_time
//
// Wrong variant of worker_panic: every panic is caught and reported, but with
// `catch_unwind` on the calling thread, so the parts are inspected one after
// another.

use std::panic;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    parts
        .iter()
        .map(|&part| {
            panic::catch_unwind(|| inspect(part)).map_err(|payload| {
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "panicked".to_string())
            })
        })
        .collect()
}

fn main() {
    println!("{:?}", inspect_all(&[4, 13]));
}
