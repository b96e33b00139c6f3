// expect-fail: parts_are_inspected_at_the_same_time
//
// Wrong variant of worker_panic: every panic is caught and reported, but with
// `catch_unwind` on the calling thread, so the parts are inspected one after
// another.

use std::panic;

use std::time::Duration;

use concur_kit::workload::simulate;

pub fn inspect(part: u64) -> u64 {
    simulate(&format!("inspect part {part}"), Duration::from_millis(200));
    if part.is_multiple_of(13) {
        panic!("part {part} is faulty");
    }
    part * 10
}

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
