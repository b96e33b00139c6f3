//! Hidden checks for `03_parallel/par_iter`.
//!
//! The `checksum` the check hands over pretends to compute: it sleeps a latency drawn per run
//! (60–80 ms a block, so a busy machine cannot slow it down) inside a traced span
//! `checksum(block i)`, and returns a value only this run knows (`Inputs::salt`). The blocks
//! (13–19 of them, never a multiple of the pool), their bytes and which of them are corrupt
//! are drawn per run (`seed::Inputs`). Before any learner code runs, the check sizes rayon's
//! global pool at 4 threads, whatever the cores or `RAYON_NUM_THREADS` say. The closure notes
//! whether it runs on a thread of a rayon pool (`rayon::current_thread_index`) and of what
//! size. Every call goes through the kit's `call`, and only checksums inside it count.
//!
//! - `checksums_are_in_block_order`, `corrupt_blocks_are_counted`: the answers (the salted
//!   checksums in block order; the number of corrupt blocks, in two runs with different
//!   counts), each block checksummed exactly once (`assert_each_once`).
//! - `checksums_run_on_rayons_threads`, `counting_runs_on_rayons_threads`: every checksum ran
//!   on a thread of a rayon pool (the statement says "with rayon"), not on the caller's thread
//!   or threads of the learner's own.
//! - `checksums_run_on_several_threads_at_once`, `counting_runs_on_several_threads_at_once`:
//!   as many checksums at once as the pool has threads (4, or fewer when the learner runs
//!   them on a pool of their own that is smaller, but at least 2), and the call finishes
//!   within halfway between that many at a time and one block after another.
//!
//! Which wrong variant (`tests/variants/03_parallel/par_iter_*.rs`) bites which check:
//! - `_sequential` (the sequential iterators moved onto a thread of their own): both
//!   `…_on_rayons_threads` and both `…_at_once` checks;
//! - `_join_decoy` (`rayon::join` checksums the first two blocks, the caller the rest): the
//!   two `checksums_…` timing and place checks;
//! - `_std_threads` (four scoped threads of its own, one chunk each): only the two
//!   `…_on_rayons_threads` checks;
//! - `_for_each_push` (`for_each` pushing into a shared Vec): `checksums_are_in_block_order`;
//! - `_counts_matches` (`==` where `!=` is meant) and `_fixed_answer` (the count of a fixed
//!   test set): `corrupt_blocks_are_counted`.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_each_once, assert_inside, assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::{checksums, count_corrupt};

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

/// The blocks of one run and what the check's checksum answers for each.
struct Blocks {
    blocks: Vec<Vec<u8>>,
    sums: Vec<u64>,
    latency: Duration,
}

impl Blocks {
    fn draw(inputs: &mut Inputs) -> Blocks {
        let count = POOL * inputs.between(3, 4) as usize + inputs.between(1, POOL as u64 - 1) as usize;
        let ids = inputs.distinct(count, 1, u64::MAX);
        let blocks: Vec<Vec<u8>> = ids
            .iter()
            .map(|id| {
                let mut block = id.to_le_bytes().to_vec();
                let len = inputs.between(24, 56);
                block.extend((0..len).map(|_| inputs.between(0, 255) as u8));
                block
            })
            .collect();
        let sums = ids.iter().map(|&id| inputs.salt(id)).collect();
        let latency = Duration::from_millis(inputs.between(60, 80));
        Blocks { blocks, sums, latency }
    }

    fn labels(&self) -> Vec<String> {
        (0..self.blocks.len()).map(|i| format!("checksum(block {i})")).collect()
    }

    /// The checksum handed to the learner: sleeps `latency` in a span of `trace` and notes
    /// where it ran into `places`.
    fn checksum(
        &self,
        trace: &Trace,
        places: &Arc<Mutex<Places>>,
    ) -> impl Fn(&[u8]) -> u64 + Send + Sync + 'static {
        let known: Arc<HashMap<Vec<u8>, (usize, u64)>> = Arc::new(
            self.blocks
                .iter()
                .cloned()
                .zip(self.sums.iter().copied().enumerate())
                .collect(),
        );
        let (trace, places, latency) = (trace.clone(), Arc::clone(places), self.latency);
        move |block: &[u8]| {
            let (label, sum) = match known.get(block) {
                Some(&(i, sum)) => (format!("checksum(block {i})"), sum),
                None => ("checksum(a block it was not given)".to_string(), 0),
            };
            places.lock().unwrap_or_else(|e| e.into_inner()).note(&label);
            let _span = trace.span(label);
            thread::sleep(latency);
            sum
        }
    }
}

/// Where the check's checksum ran.
#[derive(Default)]
struct Places {
    /// The sizes of the rayon pools it ran on.
    pools: BTreeSet<usize>,
    /// The blocks it checksummed on a thread of no rayon pool, with that thread.
    off_pool: Vec<(String, String)>,
}

impl Places {
    fn note(&mut self, label: &str) {
        if rayon::current_thread_index().is_some() {
            self.pools.insert(rayon::current_num_threads());
        } else {
            self.off_pool
                .push((label.to_string(), format!("{:?}", thread::current().id())));
        }
    }
}

/// One call of `checksums` or `count_corrupt`.
struct Run<T> {
    blocks: Blocks,
    function: &'static str,
    called: Called<T>,
    /// The thread that called the learner's function.
    caller: String,
    trace: Trace,
    places: Places,
}

impl<T> Run<T> {
    /// How many checksums must run at once: the global pool's threads, or those of a smaller
    /// pool of the learner's own, but at least 2.
    fn width(&self) -> usize {
        let pool = self.places.pools.iter().copied().max().unwrap_or(POOL);
        pool.clamp(2, POOL).min(self.blocks.blocks.len())
    }

    fn sequential(&self) -> Duration {
        self.blocks.latency * self.blocks.blocks.len() as u32
    }

    /// Halfway between `width` checksums at a time and one after another.
    fn wall_bound(&self) -> Duration {
        let rounds = self.blocks.blocks.len().div_ceil(self.width()) as u32;
        let ideal = self.blocks.latency * rounds;
        ideal + self.sequential().saturating_sub(ideal) / 2
    }

    fn what(&self) -> String {
        format!(
            "{} of {} blocks ({} ms a checksum, rayon's pool of {POOL} threads)",
            self.function,
            self.blocks.blocks.len(),
            self.blocks.latency.as_millis()
        )
    }
}

/// Calls `f` with the blocks and the check's checksum, under a deadline.
fn run<T: Send + 'static>(
    blocks: Blocks,
    function: &'static str,
    f: impl FnOnce(Vec<Vec<u8>>, Box<dyn Fn(&[u8]) -> u64 + Send + Sync>) -> T + Send + 'static,
) -> Run<T> {
    fix_pool();
    let trace = Trace::new();
    let places = Arc::new(Mutex::new(Places::default()));
    let checksum = Box::new(blocks.checksum(&trace, &places));
    let given = blocks.blocks.clone();
    let called = call(function, DEADLINE, move || {
        let caller = format!("{:?}", thread::current().id());
        (caller, f(given, checksum))
    });
    let trace = settle(&trace, blocks.blocks.len(), blocks.latency * 4);
    let places = std::mem::take(&mut *places.lock().unwrap_or_else(|e| e.into_inner()));
    let Called { value: (caller, value), start_us, end_us } = called;
    Run { blocks, function, called: Called { value, start_us, end_us }, caller, trace, places }
}

/// Waits up to `patience` until `count` spans are recorded (checksums still running when the
/// learner's function returned); returns the trace at that point.
fn settle(trace: &Trace, count: usize, patience: Duration) -> Trace {
    let deadline = Instant::now() + patience;
    while trace.len() < count && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    Trace::from_spans(trace.spans())
}

fn checksums_run(inputs: &mut Inputs) -> Run<Vec<u64>> {
    run(Blocks::draw(inputs), "checksums", |blocks, checksum| checksums(&blocks, checksum))
}

/// A run of `count_corrupt` on blocks of which `corrupt` do not have their expected checksum;
/// returns it with the indices of the corrupt blocks.
fn count_run(inputs: &mut Inputs, blocks: Blocks, corrupt: usize) -> (Run<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..blocks.blocks.len()).collect();
    inputs.shuffle(&mut order);
    let mut bad = order[..corrupt].to_vec();
    bad.sort_unstable();
    let mut expected = blocks.sums.clone();
    for &i in &bad {
        expected[i] ^= inputs.between(1, u64::MAX);
    }
    let run = run(blocks, "count_corrupt", move |blocks, checksum| {
        count_corrupt(&blocks, &expected, checksum)
    });
    (run, bad)
}

/// A number of corrupt blocks fewer than half of them.
fn some_corrupt(inputs: &mut Inputs, blocks: &Blocks) -> usize {
    inputs.between(1, (blocks.blocks.len() as u64 - 1) / 2) as usize
}

#[track_caller]
fn assert_on_rayons_threads<T>(run: &Run<T>) {
    let off = &run.places.off_pool;
    if run.trace.is_empty() {
        panic!("{} never called `checksum`", run.what());
    }
    if !off.is_empty() {
        let on_caller = off.iter().filter(|(_, thread)| *thread == run.caller).count();
        let others: BTreeSet<&str> = off
            .iter()
            .filter(|(_, thread)| *thread != run.caller)
            .map(|(_, thread)| thread.as_str())
            .collect();
        let mut where_ = Vec::new();
        if on_caller > 0 {
            where_.push(format!("{on_caller} on the thread that called {}", run.function));
        }
        if !others.is_empty() {
            where_.push(format!(
                "{} on {} thread(s) of no rayon pool",
                off.len() - on_caller,
                others.len()
            ));
        }
        panic!(
            "{}: {} of the {} checksums ran outside rayon's pool ({}). The task is to spread \
             the work with rayon (`par_iter`, `par_chunks`, `rayon::scope`, …), whose threads \
             are the pool's; threads of your own, or the calling thread, are not.{}",
            run.what(),
            off.len(),
            run.trace.len(),
            where_.join(", "),
            picture(&run.trace, "checksums")
        );
    }
}

#[track_caller]
fn assert_several_at_once<T>(run: &Run<T>) {
    assert_inside(&run.trace, &run.called, "checksums", run.function);
    assert_peak_overlap_at_least(&run.trace, run.width(), "checksums");
    assert_wall_below(run.called.elapsed(), run.wall_bound(), run.sequential(), &run.what());
}

#[test]
fn checksums_are_in_block_order() {
    let run = checksums_run(&mut Inputs::new());
    let got = &run.called.value;
    let want = &run.blocks.sums;
    if got != want {
        let wrong = got.iter().zip(want).filter(|(g, w)| g != w).count()
            + got.len().abs_diff(want.len());
        let mut sorted_got = got.clone();
        let mut sorted_want = want.clone();
        sorted_got.sort_unstable();
        sorted_want.sort_unstable();
        let hint = if sorted_got == sorted_want {
            "They are every block's checksum, but not in block order: `collect` on a parallel \
             iterator over the slice keeps the order, pushing into a shared Vec from \
             `for_each` does not."
        } else {
            "Each value must be what `checksum` returned for the block at that position."
        };
        panic!(
            "{} returned {} values; {wrong} of them are not the checksum of the block at their \
             position. {hint}",
            run.what(),
            got.len()
        );
    }
    assert_each_once(&run.trace, &run.blocks.labels(), "checksums (one per block)");
    assert_inside(&run.trace, &run.called, "checksums", "checksums");
}

#[test]
fn checksums_run_on_rayons_threads() {
    let run = checksums_run(&mut Inputs::new());
    assert_inside(&run.trace, &run.called, "checksums", "checksums");
    assert_on_rayons_threads(&run);
}

#[test]
fn checksums_run_on_several_threads_at_once() {
    let run = checksums_run(&mut Inputs::new());
    assert_several_at_once(&run);
}

#[test]
fn corrupt_blocks_are_counted() {
    let mut inputs = Inputs::new();
    let mut counts = Vec::new();
    while counts.len() < 2 {
        let blocks = Blocks::draw(&mut inputs);
        let corrupt = some_corrupt(&mut inputs, &blocks);
        if counts.iter().any(|&(_, c)| c == corrupt) {
            continue;
        }
        counts.push((blocks, corrupt));
    }
    for (blocks, corrupt) in counts {
        let (run, bad) = count_run(&mut inputs, blocks, corrupt);
        assert!(
            run.called.value == corrupt,
            "{} returned {}; {corrupt} of the blocks (blocks {bad:?}) do not have their \
             expected checksum",
            run.what(),
            run.called.value
        );
        assert_each_once(&run.trace, &run.blocks.labels(), "checksums (one per block)");
        assert_inside(&run.trace, &run.called, "checksums", "count_corrupt");
    }
}

#[test]
fn counting_runs_on_rayons_threads() {
    let mut inputs = Inputs::new();
    let blocks = Blocks::draw(&mut inputs);
    let corrupt = some_corrupt(&mut inputs, &blocks);
    let (run, _) = count_run(&mut inputs, blocks, corrupt);
    assert_inside(&run.trace, &run.called, "checksums", "count_corrupt");
    assert_on_rayons_threads(&run);
}

#[test]
fn counting_runs_on_several_threads_at_once() {
    let mut inputs = Inputs::new();
    let blocks = Blocks::draw(&mut inputs);
    let corrupt = some_corrupt(&mut inputs, &blocks);
    let (run, _) = count_run(&mut inputs, blocks, corrupt);
    assert_several_at_once(&run);
}
