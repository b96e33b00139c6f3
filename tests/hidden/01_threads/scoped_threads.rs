//! Hidden checks for `01_threads/scoped_threads`.
//!
//! `slow_sum` is the kit's (`concur_kit::workload::slow_sum`): a sleep of a latency per number
//! that the check draws per run (25–35 ms), recorded in the check's bench as a span labelled
//! `sum of N numbers`. The numbers, how many (never a multiple of `threads`, and chosen so the last
//! part is shorter) and `threads` are drawn per run (`seed::Inputs`). Every call goes through the
//! kit's `call`, and only parts summed inside it count. The parts must cover every number
//! (their lengths add up to the slice's), be no more than `threads`, none longer than
//! `ceil(len / threads)` numbers, and all be summed at once; the wall bound lies halfway
//! between that longest part and one number after another.
//!
//! Which wrong variant (`tests/variants/01_threads/scoped_threads_*.rs`) bites which check:
//! - `parts_are_summed_at_the_same_time`, `faster_than_one_part_after_another`:
//!   `_join_each` (each scoped thread is joined before the next is spawned);
//! - `every_number_is_summed_in_at_most_threads_parts`: `_thread_per_number` (a thread per
//!   number), `_floor_size` (`len / threads` numbers per part: one part too many, and
//!   `chunks(0)` panics when there are more threads than numbers);
//! - `sum_is_right`: `_chunks_exact` (drops the short last part);
//! - `more_threads_than_numbers_still_sum_right`: `_floor_size`;
//! - `no_numbers_sum_to_zero`: `_no_min_size` (`chunks(0)` panics on an empty slice);
//! - all but `no_numbers_sum_to_zero`: `_detached` (sums in the caller and leaves owning
//!   threads to call `slow_sum` after it returned).

use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{assert_inside, assert_peak_overlap_at_least, assert_wall_below};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::*;

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

struct Run {
    numbers: Vec<u64>,
    threads: usize,
    per_number: Duration,
    called: Called<u64>,
    /// Every part summed, once threads left running had time to end.
    trace: Trace,
}

impl Run {
    fn expected(&self) -> u64 {
        self.numbers.iter().sum()
    }

    /// The most numbers one part may hold: the slice cut into `threads` parts of about the
    /// same size.
    fn longest_part(&self) -> usize {
        self.numbers.len().div_ceil(self.threads)
    }

    fn sequential(&self) -> Duration {
        self.per_number * self.numbers.len() as u32
    }

    /// Halfway between the longest part on its own and one number after another.
    fn wall_bound(&self) -> Duration {
        let ideal = self.per_number * self.longest_part() as u32;
        ideal + self.sequential().saturating_sub(ideal) / 2
    }

    fn what(&self) -> String {
        format!(
            "parallel_sum of {} numbers on {} threads ({} ms per number)",
            self.numbers.len(),
            self.threads,
            self.per_number.as_millis()
        )
    }

    /// How many numbers each part summed held, from its label `sum of N numbers`.
    fn part_sizes(&self) -> Vec<usize> {
        self.trace
            .spans()
            .iter()
            .filter_map(|s| s.label.strip_prefix("sum of ")?.strip_suffix(" numbers")?.parse().ok())
            .collect()
    }

    /// The parts that held at least one number.
    fn parts(&self) -> usize {
        self.part_sizes().iter().filter(|&&n| n > 0).count()
    }
}

/// Calls `parallel_sum` on `len` numbers drawn from `inputs` with a fresh bench.
fn run(inputs: &mut Inputs, len: usize, threads: usize) -> Run {
    let numbers = inputs.distinct(len, 1, 999_999);
    let per_number = Duration::from_millis(inputs.between(25, 35));
    let bench = Bench::start();
    bench.set_latency("slow_sum", per_number);
    let given = numbers.clone();
    let called = call(
        &format!("parallel_sum of {len} numbers on {threads} threads"),
        DEADLINE,
        move || parallel_sum(&given, threads),
    );
    let trace = bench.settle(threads.min(len.max(1)), per_number * len as u32 + per_number * 5);
    Run {
        numbers,
        threads,
        per_number,
        called,
        trace,
    }
}

/// 3–5 threads and 3 or 4 numbers per thread, plus a remainder, such that the last of the
/// parts of `len.div_ceil(threads)` numbers is shorter than the others.
fn typical(inputs: &mut Inputs) -> Run {
    let threads = inputs.between(3, 5) as usize;
    let len = loop {
        let len = threads * inputs.between(3, 4) as usize
            + inputs.between(1, threads as u64 - 1) as usize;
        if len % len.div_ceil(threads) != 0 {
            break len;
        }
    };
    run(inputs, len, threads)
}

#[track_caller]
fn assert_sum(run: &Run) {
    let expected = run.expected();
    assert!(
        run.called.value == expected,
        "{} returned {}, expected {expected}. The parts summed held {:?} numbers — together \
         they must cover every number exactly once.",
        run.what(),
        run.called.value,
        run.part_sizes()
    );
    assert_inside(&run.trace, &run.called, "parts", "parallel_sum");
}

#[test]
fn sum_is_right() {
    let mut inputs = Inputs::new();
    assert_sum(&typical(&mut inputs));
    let len = inputs.between(5, 8) as usize;
    assert_sum(&run(&mut inputs, len, 1));
    let threads = inputs.between(2, 4) as usize;
    assert_sum(&run(&mut inputs, threads * 3, threads));
}

#[test]
fn more_threads_than_numbers_still_sum_right() {
    let mut inputs = Inputs::new();
    let len = inputs.between(2, 4) as usize;
    let threads = inputs.between(6, 9) as usize;
    assert_sum(&run(&mut inputs, len, threads));
}

#[test]
fn no_numbers_sum_to_zero() {
    let mut inputs = Inputs::new();
    let run = run(&mut inputs, 0, 4);
    assert!(
        run.called.value == 0,
        "parallel_sum of no numbers returned {}, expected 0",
        run.called.value
    );
}

#[test]
fn every_number_is_summed_in_at_most_threads_parts() {
    let mut inputs = Inputs::new();
    for run in [typical(&mut inputs), {
        let len = inputs.between(2, 4) as usize;
        let threads = inputs.between(6, 9) as usize;
        run(&mut inputs, len, threads)
    }] {
        assert_inside(&run.trace, &run.called, "parts", "parallel_sum");
        let sizes = run.part_sizes();
        let covered: usize = sizes.iter().sum();
        assert!(
            covered == run.numbers.len(),
            "{}: the parts summed held {sizes:?} numbers, {covered} in all — every number \
             must be in exactly one part{}",
            run.what(),
            picture(&run.trace, "parts")
        );
        assert!(
            run.parts() <= run.threads,
            "{}: the numbers were cut into {} parts ({sizes:?} numbers), each summed on a \
             thread, but there are only {} threads to use. A part size of \
             `len.div_ceil(threads)` (at least 1) gives at most `threads` parts{}",
            run.what(),
            run.parts(),
            run.threads,
            picture(&run.trace, "parts")
        );
        let longest = sizes.iter().copied().max().unwrap_or(0);
        assert!(
            longest <= run.longest_part(),
            "{}: one part held {longest} numbers ({sizes:?}); cut into {} parts of about the \
             same size, none needs more than {}{}",
            run.what(),
            run.threads,
            run.longest_part(),
            picture(&run.trace, "parts")
        );
    }
}

#[test]
fn parts_are_summed_at_the_same_time() {
    let run = typical(&mut Inputs::new());
    assert_inside(&run.trace, &run.called, "parts", "parallel_sum");
    let parts = run.parts().max(2);
    assert_peak_overlap_at_least(&run.trace, parts, "parts");
    assert_wall_below(run.called.elapsed(), run.wall_bound(), run.sequential(), &run.what());
}

#[test]
fn faster_than_one_part_after_another() {
    let run = typical(&mut Inputs::new());
    assert_inside(&run.trace, &run.called, "parts", "parallel_sum");
    assert_wall_below(run.called.elapsed(), run.wall_bound(), run.sequential(), &run.what());
}
