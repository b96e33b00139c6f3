//! Hidden checks for `01_threads/spawn_and_join`.
//!
//! `slow_square` is the kit's: a 100 ms sleep recorded in the check's bench as a span labelled
//! `slow_square(n)`, so squaring N numbers one after another costs exactly N × 100 ms. The
//! numbers are drawn per run (seeded: 9 to 12 distinct numbers in no order), so no answer can
//! be hard-coded. `squares` runs under the kit's `call`; every span counted lies inside that
//! call (a thread left running when `squares` returned is not its work), each number is
//! squared by exactly one span, and the timing checks want the trace fact (one thread per
//! number, all N at once) together with a wall bound well below N × 100 ms.
//!
//! Which variant (`tests/variants/01_threads/`) bites which check:
//! - `squares_come_back_in_the_order_of_the_numbers`: `spawn_and_join_hard_coded`;
//! - `every_number_is_squared_once_inside_the_call`: `spawn_and_join_no_join` (squares computed
//!   here while the threads run on), `spawn_and_join_hard_coded`;
//! - `every_number_is_squared_on_its_own_thread`: `spawn_and_join_one_thread`, `…_no_join`,
//!   `…_hard_coded`;
//! - `all_numbers_are_squared_at_the_same_time` and `faster_than_one_number_after_another`:
//!   `spawn_and_join_join_each`, `…_one_thread`, `…_no_join`, `…_hard_coded`.

use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_distinct_threads_at_least, assert_each_once, assert_inside,
    assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;
use concur_kit::workload::LATENCY;

use crate::exercise::*;

/// Four times the ideal 100 ms of overlapping squares, far below the 900 ms or more of one
/// number after another.
const WALL_BOUND: Duration = Duration::from_millis(400);
/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// 9 to 12 different numbers, in no particular order.
fn numbers(inputs: &mut Inputs) -> Vec<u64> {
    let count = inputs.between(9, 12) as usize;
    inputs.distinct(count, 2, 100_000)
}

struct Run {
    numbers: Vec<u64>,
    called: Called<Vec<u64>>,
    /// Every square recorded, once threads left running had time to end.
    trace: Trace,
}

fn run(numbers: Vec<u64>) -> Run {
    let bench = Bench::start();
    let input = numbers.clone();
    let called = call("squares", DEADLINE, move || squares(&input));
    let trace = bench.settle(numbers.len(), LATENCY * 3);
    Run {
        numbers,
        called,
        trace,
    }
}

fn labels(numbers: &[u64]) -> Vec<String> {
    numbers.iter().map(|n| format!("slow_square({n})")).collect()
}

#[test]
fn squares_come_back_in_the_order_of_the_numbers() {
    let run = run(numbers(&mut Inputs::new()));
    let expected: Vec<u64> = run.numbers.iter().map(|n| n * n).collect();
    assert!(
        run.called.value == expected,
        "squares({:?}) returned {:?}, expected {expected:?}: the i-th square must belong to \
         the i-th number, whichever thread finishes first",
        run.numbers,
        run.called.value
    );
}

#[test]
fn every_number_is_squared_once_inside_the_call() {
    let run = run(numbers(&mut Inputs::new()));
    assert_each_once(&run.trace, &labels(&run.numbers), "squarings");
    assert_inside(&run.trace, &run.called, "squarings", "squares");
}

#[test]
fn every_number_is_squared_on_its_own_thread() {
    let run = run(numbers(&mut Inputs::new()));
    assert_inside(&run.trace, &run.called, "squarings", "squares");
    assert_distinct_threads_at_least(&run.trace, run.numbers.len(), "squarings");
}

#[test]
fn all_numbers_are_squared_at_the_same_time() {
    let run = run(numbers(&mut Inputs::new()));
    let n = run.numbers.len();
    assert_inside(&run.trace, &run.called, "squarings", "squares");
    assert_peak_overlap_at_least(&run.trace, n, "squarings");
    assert_wall_below(
        run.called.elapsed(),
        WALL_BOUND,
        LATENCY * n as u32,
        &format!("squaring {n} numbers of 100 ms each"),
    );
}

#[test]
fn faster_than_one_number_after_another() {
    let run = run(numbers(&mut Inputs::new()));
    let n = run.numbers.len();
    assert_wall_below(
        run.called.elapsed(),
        WALL_BOUND,
        LATENCY * n as u32,
        &format!("squaring {n} numbers of 100 ms each"),
    );
    assert_inside(&run.trace, &run.called, "squarings", "squares");
    assert_peak_overlap_at_least(&run.trace, n, "squarings");
}

#[test]
fn no_numbers_give_no_squares() {
    let run = run(Vec::new());
    assert!(
        run.called.value.is_empty(),
        "squares(&[]) returned {:?}, expected []",
        run.called.value
    );
}
