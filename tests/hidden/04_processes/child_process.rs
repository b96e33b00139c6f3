//! Hidden checks for `04_processes/child_process`.
//!
//! The children are the learner's own program (`CONCUR_EXERCISE_BIN`) run as
//! `program square <n>`. Their `slow_square` calls report to the check's bench through its
//! witness socket, which the kernel tells the caller's pid of, so the check sees which
//! processes did the work and when (a pid the learner reports proves nothing).
//!
//! Every run draws its numbers (seeded, replayable with `concur verify child_process --seed N`):
//! six different numbers, never in increasing order, so squares collected in the order the
//! children finish and then sorted come back in the wrong order. Each square must come from
//! exactly one `slow_square(n)` span of a child, inside the call. Six children of 100 ms take
//! 600 ms one after another and about 100 ms (plus start-up) together; the wall bound lies
//! halfway. Which wrong variant (`tests/variants/04_processes/child_process_*.rs`) bites which
//! check:
//! - `children_run_at_the_same_time`: `_one_at_a_time`;
//! - `children_return_their_squares_in_order`: `_sorted` (finish order, then sorted);
//! - `every_child_is_waited_for`: `_no_wait`.

use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call_hinting, Called};
use concur_kit::check::{
    assert_distinct_pids_at_least, assert_each_once, assert_inside,
    assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::{square_in_child, squares_in_children, LIMIT};

/// How many children `squares_in_children` is given.
const CHILDREN: usize = 6;
/// One `slow_square` in a child.
const SQUARE: Duration = Duration::from_millis(100);
/// A child that has not answered by then is stuck, or waited for something that never comes.
const DEADLINE: Duration = Duration::from_secs(5);

/// `CHILDREN` different numbers of this run, never in increasing order.
fn numbers() -> Vec<u64> {
    let mut inputs = Inputs::new();
    let mut numbers = inputs.distinct(CHILDREN, 2, 9_999);
    if numbers.windows(2).all(|pair| pair[0] < pair[1]) {
        numbers.reverse();
    }
    numbers
}

/// Points the children's trace at the bench, runs `f` under the deadline, and returns the
/// call (its value and window) with the trace of the work the children did.
fn run_traced<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> (Called<T>, Trace) {
    // Workers report their workloads to the bench, which the kernel tells who they are.
    let bench = Bench::start().with_children();
    let hint = "Each child needs about 100 ms. Is it waiting for a child that waits for \
                something itself?";
    let called = call_hinting(what, DEADLINE, hint, f);
    let trace = bench.trace();
    (called, trace)
}

/// What one run of `squares_in_children` was given and produced.
struct Run {
    numbers: Vec<u64>,
    called: Called<Vec<u64>>,
    trace: Trace,
}

impl Run {
    fn labels(&self) -> Vec<String> {
        self.numbers.iter().map(|n| format!("slow_square({n})")).collect()
    }
}

fn run_children() -> Run {
    let program = exercise_program();
    let numbers = numbers();
    let given = numbers.clone();
    let (called, trace) = run_traced("squares_in_children", move || {
        squares_in_children(&program, &given)
    });
    let Called { value, start_us, end_us } = called;
    let squares = value.unwrap_or_else(|error| {
        panic!("squares_in_children(&program, &{numbers:?}) returned an error: {error}")
    });
    Run { numbers, called: Called { value: squares, start_us, end_us }, trace }
}

/// Every span of `trace` ran in a process other than this one.
#[track_caller]
fn assert_done_in_children(trace: &Trace, function: &str) {
    let me = std::process::id();
    let here = trace.spans().iter().filter(|span| span.pid == me).count();
    if here > 0 {
        panic!(
            "{here} of the {} squarings ran in this process (pid {me}), not in a child: \
             {function} must leave the work to `program square <n>`{}",
            trace.len(),
            picture(trace, "squarings")
        );
    }
}

#[test]
fn a_child_squares_a_number() {
    let program = exercise_program();
    let n = Inputs::new().between(2, 9_999);
    let (called, trace) = run_traced("square_in_child", move || square_in_child(&program, n));
    match called.value {
        Ok(square) if square == n * n => {}
        Ok(other) => panic!("square_in_child(&program, {n}) returned {other}; expected {}", n * n),
        Err(error) => panic!("square_in_child(&program, {n}) returned an error: {error}"),
    }
    let me = std::process::id();
    let pids: Vec<u32> = trace.spans().iter().map(|span| span.pid).collect();
    if pids.is_empty() || pids.contains(&me) {
        panic!(
            "the square must be worked out by the child (`program square {n}`), not by your \
             function: slow_square ran in processes {pids:?}, and this process is {me}"
        );
    }
    assert_each_once(&trace, &[format!("slow_square({n})")], "squarings");
    assert_inside(&trace, &called, "squarings", "square_in_child");
}

#[test]
fn a_failing_child_is_an_error() {
    let program = exercise_program();
    let too_large = LIMIT + Inputs::new().between(1, 9_999);
    let (called, _trace) =
        run_traced("square_in_child", move || square_in_child(&program, too_large));
    match called.value {
        Ok(square) => panic!(
            "square_in_child(&program, {too_large}) returned Ok({square}), but that child exits \
             with code 3 and prints nothing on stdout: check its exit status"
        ),
        Err(error) if error.to_string().contains("too large") => {}
        Err(error) => panic!(
            "square_in_child(&program, {too_large}) returned the error \"{error}\"; it should \
             include what the child wrote on stderr (\"{too_large} is too large to square …\"), \
             which tells the user why it failed"
        ),
    }
}

#[test]
fn children_return_their_squares_in_order() {
    let run = run_children();
    let expected: Vec<u64> = run.numbers.iter().map(|n| n * n).collect();
    let squares = &run.called.value;
    if *squares != expected {
        let mut sorted_got = squares.clone();
        sorted_got.sort_unstable();
        let mut sorted_want = expected.clone();
        sorted_want.sort_unstable();
        let why = if *squares == sorted_got && sorted_got == sorted_want {
            " (the right squares, but sorted: the numbers were not given in increasing order, \
             so sorting does not restore their order — keep each child next to its number)"
        } else {
            ""
        };
        panic!(
            "squares_in_children(&program, &{:?}) returned {squares:?}; expected {expected:?}, \
             one square per number, in the order of the numbers{why}",
            run.numbers
        );
    }
    assert_done_in_children(&run.trace, "squares_in_children");
    assert_each_once(&run.trace, &run.labels(), "squarings");
    assert_inside(&run.trace, &run.called, "squarings", "squares_in_children");
}

#[test]
fn children_run_at_the_same_time() {
    let run = run_children();
    assert_inside(&run.trace, &run.called, "squarings", "squares_in_children");
    assert_done_in_children(&run.trace, "squares_in_children");
    assert_distinct_pids_at_least(&run.trace, CHILDREN, "squarings");
    assert_peak_overlap_at_least(&run.trace, CHILDREN, "squarings");
    let sequential = SQUARE * CHILDREN as u32;
    assert_wall_below(
        run.called.elapsed(),
        (sequential + SQUARE) / 2,
        sequential,
        &format!("squares_in_children ({CHILDREN} children of 100 ms)"),
    );
}

#[test]
fn every_child_is_waited_for() {
    let _ = run_children();
    assert_no_children();
}
