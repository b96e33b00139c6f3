//! Hidden checks for `03_parallel/divide_and_conquer`.
//!
//! The leaf sum is real CPU work (each item is mixed 400 times before it is added) inside a
//! traced span labelled with the piece's first item and length. The checks look at the
//! pieces (none above the threshold, together exactly the data) and at whether several
//! threads were summing at the same moment; the global rayon pool has a known size.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{assert_distinct_threads_at_least, assert_peak_overlap_at_least, panic_message};
use concur_kit::trace::Trace;

use crate::exercise::parallel_sum;

const ITEMS: u64 = 40_000;
const THRESHOLD: usize = 2_500;
const POOL_THREADS: usize = 4;
const DEADLINE: Duration = Duration::from_secs(8);

/// A sum that costs real CPU time but gives the plain sum.
fn heavy_sum(piece: &[u64]) -> u64 {
    piece
        .iter()
        .map(|&x| {
            std::hint::black_box((0..400).fold(x, |acc, i| acc.rotate_left(5) ^ i));
            x
        })
        .sum()
}

struct Run {
    sum: u64,
    trace: Trace,
}

fn run(items: u64, threshold: usize) -> Run {
    let _ = rayon::ThreadPoolBuilder::new().num_threads(POOL_THREADS).build_global();
    let trace = Trace::new();
    let recorder = trace.clone();
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let data: Vec<u64> = (1..=items).collect();
        let leaf = move |piece: &[u64]| {
            let first = piece.first().copied().unwrap_or(0);
            let _span = recorder.span(format!("sum({first}, len {})", piece.len()));
            heavy_sum(piece)
        };
        let _ = tx.send(parallel_sum(&data, threshold, &leaf));
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(sum) => Run { sum, trace },
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("parallel_sum panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "parallel_sum did not return within {DEADLINE:?} ({} pieces summed so far). Does \
             the recursion stop once a piece has at most `threshold` items?",
            trace.len()
        ),
    }
}

/// (first item, length) of every piece handed to the leaf sum.
fn pieces(trace: &Trace) -> Vec<(u64, usize)> {
    trace
        .spans()
        .iter()
        .filter_map(|s| {
            let inner = s.label.strip_prefix("sum(")?.strip_suffix(')')?;
            let (first, len) = inner.split_once(", len ")?;
            Some((first.parse().ok()?, len.parse().ok()?))
        })
        .collect()
}

#[test]
fn sum_is_correct() {
    for (items, threshold) in [(ITEMS, THRESHOLD), (1, THRESHOLD), (0, THRESHOLD), (1_000, 7)] {
        let run = run(items, threshold);
        let expected = items * (items + 1) / 2;
        assert_eq!(
            run.sum, expected,
            "parallel_sum of 1..={items} with threshold {threshold} gave {}; expected {expected}",
            run.sum
        );
    }
}

#[test]
fn pieces_are_at_most_the_threshold_and_cover_the_data() {
    let run = run(ITEMS, THRESHOLD);
    let mut pieces = pieces(&run.trace);
    pieces.sort_unstable();
    if let Some((first, len)) = pieces.iter().find(|(_, len)| *len > THRESHOLD) {
        panic!(
            "leaf_sum got a piece of {len} items (starting at item {first}); the threshold is \
             {THRESHOLD}: keep splitting until a piece is small enough"
        );
    }
    let covered: usize = pieces.iter().map(|(_, len)| len).sum();
    assert_eq!(
        covered, ITEMS as usize,
        "the pieces given to leaf_sum hold {covered} items in all; the data has {ITEMS}: every \
         item must be in exactly one piece"
    );
    let too_small = pieces.iter().filter(|(_, len)| *len <= THRESHOLD / 4).count();
    assert!(
        too_small == 0,
        "{too_small} of the {} pieces had {} items or fewer: split in halves, and stop as soon \
         as a piece has at most {THRESHOLD}",
        pieces.len(),
        THRESHOLD / 4
    );
}

#[test]
fn halves_are_summed_on_several_threads_at_once() {
    let run = run(ITEMS, THRESHOLD);
    assert_peak_overlap_at_least(&run.trace, 2, "pieces");
    assert_distinct_threads_at_least(&run.trace, 2, "pieces");
}
