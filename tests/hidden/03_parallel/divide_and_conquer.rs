//! Hidden checks for `03_parallel/divide_and_conquer`.
//!
//! The `leaf_sum` the check hands over pretends to compute: it sleeps a latency per item
//! drawn per run (8–12 ms, so a busy machine cannot slow it down) inside a traced span
//! `sum(items a..b)` naming the run of the data the piece is, and returns the sum of values
//! only this run knows (`Inputs::salt` of each item), so the answer cannot be computed from
//! the data. The data (80–120 distinct numbers), its length and the threshold (6–12) are
//! drawn per run (`seed::Inputs`). Before any learner code runs, the check sizes rayon's
//! global pool at 4 threads, whatever the cores or `RAYON_NUM_THREADS` say; the leaf notes
//! whether it runs on a thread of a rayon pool (`rayon::current_thread_index`) and of what
//! size. Every call goes through the kit's `call`, and only pieces summed inside it count.
//!
//! - `sum_is_correct`: the total of the leaf sums, for typical data, data no longer than the
//!   threshold, no data, and a threshold of 2.
//! - `pieces_are_at_most_the_threshold_and_cover_the_data`: no piece above the threshold,
//!   every piece a run of the data, every item in exactly one piece, and no more pieces than
//!   halving gives (a slice of at most `threshold` items is not split further).
//! - `pieces_are_summed_on_rayons_threads`: every piece summed on a thread of a rayon pool.
//! - `halves_are_summed_on_several_threads_at_once`: as many pieces at once as the pool has
//!   threads (4, or fewer on a smaller pool of the learner's own, but at least 2), and the
//!   call within halfway between that many threads' share of the items and all of them one
//!   after another.
//!
//! Which wrong variant (`tests/variants/03_parallel/divide_and_conquer_*.rs`) bites which
//! check:
//! - `_sequential` (the halves one after the other): `…_on_rayons_threads`, `…_at_once`;
//! - `_join_at_top_only` (`rayon::join` for the first split only): `…_at_once`;
//! - `_scoped_threads` (a scoped thread for every left half): `…_on_rayons_threads`;
//! - `_no_threshold` (splits down to single items): `pieces_are_…`;
//! - `_sums_itself` (adds the items of a small piece itself instead of calling `leaf_sum`):
//!   every check.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::call::{call, Called};
use concur_kit::check::{assert_inside, assert_peak_overlap_at_least, assert_wall_below};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::parallel_sum;

/// The threads the check gives rayon's global pool, on any machine.
const POOL: usize = 4;
/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// Sizes rayon's global pool before any learner code runs (each check is a process of its own).
fn fix_pool() {
    let _ = rayon::ThreadPoolBuilder::new().num_threads(POOL).build_global();
    let threads = rayon::current_num_threads();
    assert!(
        threads == POOL,
        "the check could not size rayon's global pool: it has {threads} threads instead of \
         {POOL}"
    );
}

/// Where the check's leaf sum ran.
#[derive(Default)]
struct Places {
    /// The sizes of the rayon pools it ran on.
    pools: BTreeSet<usize>,
    /// The threads of no rayon pool it ran on, once per piece.
    off_pool: Vec<String>,
}

impl Places {
    fn note(&mut self) {
        if rayon::current_thread_index().is_some() {
            self.pools.insert(rayon::current_num_threads());
        } else {
            self.off_pool.push(format!("{:?}", thread::current().id()));
        }
    }
}

/// One call of `parallel_sum`.
struct Run {
    len: usize,
    threshold: usize,
    per_item: Duration,
    expected: u64,
    called: Called<u64>,
    /// The thread that called `parallel_sum`.
    caller: String,
    trace: Trace,
    places: Places,
}

/// A piece `leaf_sum` got, read from its span's label.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece {
    /// Items `start..end` of the data.
    Run { start: usize, end: usize },
    /// An empty slice.
    Empty,
    /// Items that are not a run of the data, in its order.
    Scrambled { len: usize },
}

impl Run {
    fn pieces(&self) -> Vec<Piece> {
        self.trace
            .spans()
            .iter()
            .filter_map(|span| {
                let inner = span.label.strip_prefix("sum(")?.strip_suffix(')')?;
                if inner == "no items" {
                    return Some(Piece::Empty);
                }
                if let Some(len) = inner.strip_suffix(" items not in the data's order") {
                    return Some(Piece::Scrambled { len: len.parse().ok()? });
                }
                let (start, end) = inner.strip_prefix("items ")?.split_once("..")?;
                Some(Piece::Run { start: start.parse().ok()?, end: end.parse().ok()? })
            })
            .collect()
    }

    /// How many pieces halving gives: a slice above the threshold is split in two halves.
    fn halving_pieces(&self) -> usize {
        fn pieces(len: usize, threshold: usize) -> usize {
            if len <= threshold {
                1
            } else {
                pieces(len / 2, threshold) + pieces(len - len / 2, threshold)
            }
        }
        pieces(self.len, self.threshold)
    }

    /// How many pieces must be summed at once: the global pool's threads, or those of a
    /// smaller pool of the learner's own, but at least 2.
    fn width(&self) -> usize {
        let pool = self.places.pools.iter().copied().max().unwrap_or(POOL);
        pool.clamp(2, POOL)
    }

    fn sequential(&self) -> Duration {
        self.per_item * self.len as u32
    }

    /// Halfway between `width` threads' share of the items and every item one after another.
    fn wall_bound(&self) -> Duration {
        let share = self.len.div_ceil(self.width()).max(self.threshold.min(self.len));
        let ideal = self.per_item * share as u32;
        ideal + self.sequential().saturating_sub(ideal) / 2
    }

    fn what(&self) -> String {
        format!(
            "parallel_sum of {} items with threshold {} ({} ms an item, rayon's pool of {POOL} \
             threads)",
            self.len,
            self.threshold,
            self.per_item.as_millis()
        )
    }
}

/// Calls `parallel_sum` on `len` items drawn from `inputs`, with the check's leaf sum.
fn run(inputs: &mut Inputs, len: usize, threshold: usize, per_item: Duration) -> Run {
    fix_pool();
    let data = inputs.distinct(len, 1, 999_999_999);
    // Each item counts as a value only this run knows; small enough that no sum overflows.
    let known: Arc<HashMap<u64, (usize, u64)>> = Arc::new(
        data.iter()
            .enumerate()
            .map(|(i, &x)| (x, (i, inputs.salt(x) % 1_000_000)))
            .collect(),
    );
    let expected = known.values().map(|&(_, value)| value).sum();
    let trace = Trace::new();
    let places = Arc::new(Mutex::new(Places::default()));
    let leaf = {
        let (known, trace, places) = (Arc::clone(&known), trace.clone(), Arc::clone(&places));
        move |piece: &[u64]| -> u64 {
            let start = piece.first().and_then(|x| known.get(x)).map(|&(i, _)| i);
            let in_order = start.is_some_and(|start| {
                piece
                    .iter()
                    .enumerate()
                    .all(|(j, x)| known.get(x).is_some_and(|&(i, _)| i == start + j))
            });
            let label = match start {
                _ if piece.is_empty() => "sum(no items)".to_string(),
                Some(start) if in_order => format!("sum(items {start}..{})", start + piece.len()),
                _ => format!("sum({} items not in the data's order)", piece.len()),
            };
            let value = piece.iter().map(|x| known.get(x).map_or(0, |&(_, v)| v)).sum();
            places.lock().unwrap_or_else(|e| e.into_inner()).note();
            let _span = trace.span(label);
            thread::sleep(per_item * piece.len() as u32);
            value
        }
    };
    let called = call(&format!("parallel_sum of {len} items"), DEADLINE, move || {
        let caller = format!("{:?}", thread::current().id());
        (caller, parallel_sum(&data, threshold, &leaf))
    });
    let trace = settle(&trace, len.div_ceil(threshold.max(1)), per_item * threshold as u32 * 2);
    let places = std::mem::take(&mut *places.lock().unwrap_or_else(|e| e.into_inner()));
    let Called { value: (caller, value), start_us, end_us } = called;
    Run {
        len,
        threshold,
        per_item,
        expected,
        called: Called { value, start_us, end_us },
        caller,
        trace,
        places,
    }
}

/// Data of 80–120 items with a threshold of 6–12 and 8–12 ms an item.
fn typical(inputs: &mut Inputs) -> Run {
    let len = inputs.between(80, 120) as usize;
    let threshold = inputs.between(6, 12) as usize;
    let per_item = Duration::from_millis(inputs.between(8, 12));
    run(inputs, len, threshold, per_item)
}

/// Waits up to `patience` until `count` spans are recorded (pieces still being summed when
/// the learner's function returned); returns the trace at that point.
fn settle(trace: &Trace, count: usize, patience: Duration) -> Trace {
    let deadline = Instant::now() + patience;
    while trace.len() < count && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    Trace::from_spans(trace.spans())
}

#[test]
fn sum_is_correct() {
    let mut inputs = Inputs::new();
    let typical = typical(&mut inputs);
    let threshold = inputs.between(6, 12) as usize;
    let short = inputs.between(1, threshold as u64) as usize;
    let tiny = inputs.between(20, 40) as usize;
    let runs = [
        typical,
        run(&mut inputs, short, threshold, Duration::from_millis(4)),
        run(&mut inputs, 0, threshold, Duration::from_millis(4)),
        run(&mut inputs, tiny, 2, Duration::from_millis(2)),
    ];
    for run in runs {
        assert!(
            run.called.value == run.expected,
            "{} returned {}; the `leaf_sum` results of its pieces add up to {}. Return the \
             sum of what `leaf_sum` gives for the pieces, and let it sum every item: it counts \
             each item in a way only it knows.",
            run.what(),
            run.called.value,
            run.expected
        );
        assert_inside(&run.trace, &run.called, "pieces", "parallel_sum");
    }
}

#[test]
fn pieces_are_at_most_the_threshold_and_cover_the_data() {
    let run = typical(&mut Inputs::new());
    assert_inside(&run.trace, &run.called, "pieces", "parallel_sum");
    let pieces = run.pieces();
    let what = run.what();
    let pic = || picture(&run.trace, "pieces");
    if pieces.is_empty() {
        panic!("{what} never called `leaf_sum`: every piece must be summed by it");
    }
    for piece in &pieces {
        let (len, which) = match *piece {
            Piece::Run { start, end } => (end - start, format!("items {start}..{end}")),
            Piece::Scrambled { len } => (len, "items not in the data's order".to_string()),
            Piece::Empty => (0, String::new()),
        };
        if len > run.threshold {
            panic!(
                "{what}: `leaf_sum` got a piece of {len} items ({which}); the threshold is {}: \
                 keep splitting until a piece has at most that many{}",
                run.threshold,
                pic()
            );
        }
    }
    let scrambled = pieces.iter().filter(|p| matches!(p, Piece::Scrambled { .. })).count();
    if scrambled > 0 {
        panic!(
            "{what}: {scrambled} of the {} pieces given to `leaf_sum` were not a run of \
             consecutive items of the data: split the slice itself (`split_at`), without \
             reordering or copying items{}",
            pieces.len(),
            pic()
        );
    }
    let mut times = vec![0usize; run.len];
    for piece in &pieces {
        if let Piece::Run { start, end } = *piece {
            for t in &mut times[start..end] {
                *t += 1;
            }
        }
    }
    let never: Vec<usize> = (0..run.len).filter(|&i| times[i] == 0).collect();
    let twice: Vec<usize> = (0..run.len).filter(|&i| times[i] > 1).collect();
    if !never.is_empty() || !twice.is_empty() {
        panic!(
            "{what}: of the data's items, {} were in no piece given to `leaf_sum` (e.g. {:?}) \
             and {} were in more than one (e.g. {:?}): every item must be in exactly one \
             piece{}",
            never.len(),
            &never[..never.len().min(5)],
            twice.len(),
            &twice[..twice.len().min(5)],
            pic()
        );
    }
    let most = run.halving_pieces();
    if pieces.len() > most {
        let shortest = pieces
            .iter()
            .filter_map(|p| match *p {
                Piece::Run { start, end } => Some(end - start),
                _ => None,
            })
            .min()
            .unwrap_or(0);
        panic!(
            "{what}: the data was cut into {} pieces (the shortest of {shortest} items); \
             halving until a piece has at most {} items gives {most}. A slice of at most \
             `threshold` items goes to `leaf_sum` as it is, without splitting it further.{}",
            pieces.len(),
            run.threshold,
            pic()
        );
    }
}

#[test]
fn pieces_are_summed_on_rayons_threads() {
    let run = typical(&mut Inputs::new());
    assert_inside(&run.trace, &run.called, "pieces", "parallel_sum");
    if run.trace.is_empty() {
        panic!("{} never called `leaf_sum`", run.what());
    }
    let off = &run.places.off_pool;
    if !off.is_empty() {
        let on_caller = off.iter().filter(|t| **t == run.caller).count();
        let others: BTreeSet<&String> = off.iter().filter(|t| **t != run.caller).collect();
        let mut where_ = Vec::new();
        if on_caller > 0 {
            where_.push(format!("{on_caller} on the thread that called parallel_sum"));
        }
        if !others.is_empty() {
            where_.push(format!(
                "{} on {} thread(s) of no rayon pool",
                off.len() - on_caller,
                others.len()
            ));
        }
        panic!(
            "{}: {} of the {} pieces were summed outside rayon's pool ({}). `rayon::join` runs \
             both halves on the pool's threads; threads of your own, or the calling thread, \
             are not the pool's.{}",
            run.what(),
            off.len(),
            run.trace.len(),
            where_.join(", "),
            picture(&run.trace, "pieces")
        );
    }
}

#[test]
fn halves_are_summed_on_several_threads_at_once() {
    let run = typical(&mut Inputs::new());
    assert_inside(&run.trace, &run.called, "pieces", "parallel_sum");
    assert_peak_overlap_at_least(&run.trace, run.width(), "pieces");
    assert_wall_below(run.called.elapsed(), run.wall_bound(), run.sequential(), &run.what());
}
