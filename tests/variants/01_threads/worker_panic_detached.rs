// expect-fail: a_panicking_worker_is_reported_with_its_message
// expect-fail: good_parts_are_all_ok
// expect-fail: every_part_is_reported_even_if_all_panic
// expect-fail: every_part_is_inspected_once_inside_the_call
// expect-fail: parts_are_inspected_at_the_same_time
// expect-fail: the_other_workers_keep_their_results
//
// Wrong variant of worker_panic: starts every inspection and never joins, so it
// cannot crash, and reports each part as the score it would get, while the
// inspections still run.

use std::thread;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    for &part in parts {
        thread::spawn(move || inspect(part));
    }
    parts.iter().map(|&part| Ok(part * 10)).collect()
}

fn main() {}
