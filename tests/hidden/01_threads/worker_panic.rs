//! Hidden checks for `01_threads/worker_panic`.
//!
//! `inspect` is the kit's (`concur_kit::workload::inspect`): a sleep whose length the check
//! draws per run (200–260 ms), recorded in the check's bench as a span `inspect part N`, then
//! a panic `part N is faulty` on the parts the check marks faulty. The parts and which of them
//! are faulty are drawn per run (`seed::Inputs`), so no rule on the part numbers tells which
//! fail: a result can only come from inspecting (no faulty part is a multiple of 13, the kit's
//! default rule, and the first good part is one). Every call goes through the kit's `call`;
//! each part must be inspected exactly once, inside the call. The checks want every part
//! reported in order (`Ok` with the score, `Err` with the panic's message), and all parts
//! inspected at once: the trace's peak overlap together with a wall bound halfway between one
//! inspection and one after another.
//!
//! Which wrong variant (`tests/variants/01_threads/worker_panic_*.rs`) bites which check:
//! - `parts_are_inspected_at_the_same_time`: `_catch_unwind` (survives panics with
//!   `catch_unwind` on the calling thread, one part after another);
//! - `a_panicking_worker_is_reported_with_its_message`: `_str_payload` (looks for a
//!   `&str` payload only, and reports a fixed text for the `String` that `panic!("…{n}")`
//!   carries);
//! - all but `every_part_is_inspected_once_inside_the_call` and
//!   `parts_are_inspected_at_the_same_time`: `_guesses_faults` (spawns the inspections but
//!   builds its results from a rule, multiples of 13, instead of from `join()`);
//! - all: `_detached` (never joins: reports every part `Ok` while the inspections still run).

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_each_once, assert_inside, assert_peak_overlap_at_least, assert_wall_below,
    panic_message,
};
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::*;

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    parts: Vec<u64>,
    faulty: BTreeSet<u64>,
    latency: Duration,
    called: Called<Vec<Result<u64, String>>>,
    /// Every inspection, once workers left running had time to end.
    trace: Trace,
}

impl Run {
    fn labels(&self) -> Vec<String> {
        self.parts.iter().map(|p| format!("inspect part {p}")).collect()
    }

    fn what(&self) -> String {
        format!(
            "inspect_all({:?}) (faulty: {:?}, {} ms per part)",
            self.parts,
            self.faulty,
            self.latency.as_millis()
        )
    }

    fn results(&self) -> &[Result<u64, String>] {
        &self.called.value
    }
}

/// Calls `inspect_all` on `count` parts drawn per run, `faulty` of them (at most all) faulty.
fn run(count: usize, faulty: usize) -> Run {
    let mut inputs = Inputs::new();
    let faulty_at: BTreeSet<u64> = inputs
        .distinct(faulty.min(count), 0, count as u64 - 1)
        .into_iter()
        .collect();
    // The kit's default rule (multiples of 13 are faulty) must not give the answers away: no
    // faulty part is a multiple of 13, and the first good part is one.
    let first_good = (0..count as u64).find(|i| !faulty_at.contains(i));
    let parts: Vec<u64> = inputs
        .distinct(count, 1, 700)
        .into_iter()
        .zip(0..)
        .map(|(base, i)| {
            let offset = if Some(i) == first_good { 0 } else { inputs.between(1, 12) };
            base * 13 + offset
        })
        .collect();
    let faulty: BTreeSet<u64> = faulty_at.iter().map(|&i| parts[i as usize]).collect();
    let latency = Duration::from_millis(inputs.between(200, 260));
    let bench = Bench::start();
    bench.set_latency("inspect", latency);
    bench.mark("inspect", faulty.iter().copied());
    let given = parts.clone();
    let called = match catch_unwind(AssertUnwindSafe(|| {
        call("inspect_all", DEADLINE, move || inspect_all(&given))
    })) {
        Ok(called) => called,
        Err(failure) => {
            let message = panic_message(&*failure);
            match message.strip_prefix("inspect_all panicked: ") {
                Some(panic) => panic!(
                    "inspect_all itself panicked, so every result was lost: {panic}. A \
                     worker's panic comes back from `join()` as an `Err`; unwrapping that \
                     `Err` panics again, in the thread that joined."
                ),
                None => panic!("{message}"),
            }
        }
    };
    let trace = bench.settle(count, latency * count as u32 + latency * 2);
    let run = Run {
        parts,
        faulty,
        latency,
        called,
        trace,
    };
    assert!(
        run.results().len() == run.parts.len(),
        "{} returned {} results for {} parts: {:?}; it must return exactly one per part",
        run.what(),
        run.results().len(),
        run.parts.len(),
        run.results()
    );
    run
}

/// 5–7 parts, 2 of them faulty.
fn mixed() -> Run {
    let count = Inputs::new().between(5, 7) as usize;
    run(count, 2)
}

#[test]
fn good_parts_are_all_ok() {
    let run = run(4, 0);
    let expected: Vec<Result<u64, String>> = run.parts.iter().map(|p| Ok(p * 10)).collect();
    assert!(
        run.results() == expected,
        "{} returned {:?}, expected {expected:?}",
        run.what(),
        run.results()
    );
    assert_inside(&run.trace, &run.called, "inspections", "inspect_all");
}

#[track_caller]
fn assert_faults_reported(run: &Run) {
    for (part, result) in run.parts.iter().zip(run.results()) {
        if !run.faulty.contains(part) {
            continue;
        }
        let wanted = format!("part {part} is faulty");
        match result {
            Err(message) if message.contains(&wanted) => {}
            Err(message) => panic!(
                "{}: part {part} is reported as Err({message:?}), but its worker panicked \
                 with \"{wanted}\": report the panic's own message. It is in the `Err` that \
                 `join()` returns; `downcast_ref::<String>()` gets it out.",
                run.what()
            ),
            Ok(value) => panic!(
                "{}: part {part} is reported as Ok({value}), but its worker panicked with \
                 \"{wanted}\". All results: {:?}",
                run.what(),
                run.results()
            ),
        }
    }
}

#[test]
fn a_panicking_worker_is_reported_with_its_message() {
    assert_faults_reported(&mixed());
}

#[test]
fn the_other_workers_keep_their_results() {
    let run = mixed();
    for (part, result) in run.parts.iter().zip(run.results()) {
        if !run.faulty.contains(part) && *result != Ok(part * 10) {
            panic!(
                "part {part} is fine and should be Ok({}), but {} reported it as {result:?}. \
                 All results: {:?}",
                part * 10,
                run.what(),
                run.results()
            );
        }
    }
    assert_inside(&run.trace, &run.called, "inspections", "inspect_all");
}

#[test]
fn every_part_is_reported_even_if_all_panic() {
    let count = Inputs::new().between(3, 4) as usize;
    let run = run(count, count);
    assert_faults_reported(&run);
}

#[test]
fn every_part_is_inspected_once_inside_the_call() {
    let run = mixed();
    assert_each_once(&run.trace, &run.labels(), "inspections");
    assert_inside(&run.trace, &run.called, "inspections", "inspect_all");
}

#[test]
fn parts_are_inspected_at_the_same_time() {
    let run = mixed();
    assert_inside(&run.trace, &run.called, "inspections", "inspect_all");
    assert_peak_overlap_at_least(&run.trace, run.parts.len(), "inspections");
    let sequential = run.latency * run.parts.len() as u32;
    assert_wall_below(
        run.called.elapsed(),
        run.latency + (sequential - run.latency) / 2,
        sequential,
        &run.what(),
    );
}
