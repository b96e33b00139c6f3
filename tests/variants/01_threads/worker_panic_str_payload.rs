// expect-fail: a_panicking_worker_is_reported_with_its_message
// expect-fail: every_part_is_reported_even_if_all_panic
//
// Wrong variant of worker_panic: survives every panic, but only looks for a
// `&'static str` payload; `panic!("part {part} is faulty")` carries a `String`,
// so every fault is reported with a fixed text instead of its message.

use std::thread;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    let handles: Vec<_> = parts
        .iter()
        .map(|&part| thread::spawn(move || inspect(part)))
        .collect();
    handles
        .into_iter()
        .map(|handle| {
            handle.join().map_err(|payload| match payload.downcast_ref::<&str>() {
                Some(text) => text.to_string(),
                None => "a worker panicked".to_string(),
            })
        })
        .collect()
}

fn main() {}
