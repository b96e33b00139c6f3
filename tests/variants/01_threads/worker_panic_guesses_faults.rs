// expect-fail: a_panicking_worker_is_reported_with_its_message
// expect-fail: good_parts_are_all_ok
// expect-fail: the_other_workers_keep_their_results
// expect-fail: every_part_is_reported_even_if_all_panic
//
// Wrong variant of worker_panic: the inspections run on their threads, but the
// results come from a rule (the default faults, multiples of 13) instead of from
// what each `join()` returned.

use std::thread;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    let handles: Vec<_> = parts
        .iter()
        .map(|&part| thread::spawn(move || inspect(part)))
        .collect();
    for handle in handles {
        let _ = handle.join();
    }
    parts
        .iter()
        .map(|&part| {
            if part % 13 == 0 {
                Err(format!("part {part} is faulty"))
            } else {
                Ok(part * 10)
            }
        })
        .collect()
}

fn main() {}
