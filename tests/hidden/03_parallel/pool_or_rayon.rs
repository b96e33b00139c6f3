//! Hidden checks for `03_parallel/pool_or_rayon`.
//!
//! No verdict here depends on the machine: before any learner code runs, the check sizes
//! rayon's global pool at 4 threads, as if the machine had 4 cores, whatever the real cores
//! or `RAYON_NUM_THREADS` say, and all work is simulated latency.
//!
//! Hashing: the `hash` the check hands over pretends to compute (it sleeps 60–80 ms a block,
//! drawn per run) in a traced span `hash(block i)`, notes whether it runs on a thread of a
//! rayon pool (`rayon::current_thread_index`), and returns a value only this run knows
//! (`Inputs::salt`). The blocks (13–19, never a multiple of the pool) are drawn per run.
//! Downloading: the `download` pretends to wait for a server (60–90 ms, drawn per run) in a
//! traced span `GET /page/N`, and returns a page only this run knows. The URLs (2–3 rounds of
//! `connections` and a remainder) and `connections` (8–12, always at least twice rayon's pool)
//! are drawn per run. Every call goes through the kit's `call`, and only work inside it counts.
//!
//! - `hashes_are_in_block_order`: the salted hashes in block order, each block hashed once.
//! - `hashing_runs_on_rayons_pool`: every hash on a thread of a rayon pool, not on the
//!   caller's thread or threads of the learner's own.
//! - `hashing_keeps_several_cores_busy`: as many hashes at once as rayon's pool has threads,
//!   and the call within halfway between that many at a time and one after another.
//! - `hashing_uses_no_more_threads_than_cores`: no more distinct threads than rayon's pool.
//! - `every_page_is_downloaded_once`: every page returned once, every URL downloaded once.
//! - `downloads_use_every_connection_at_once`: at least three quarters of `connections` in
//!   flight at once, and the call within halfway between `connections` at a time and one
//!   after another.
//! - `downloads_never_exceed_the_connections`: never more than `connections` in flight.
//!
//! Which wrong variant (`tests/variants/03_parallel/pool_or_rayon_*.rs`) bites which check:
//! - `_sequential_hashing` (hashes on the calling thread): `hashing_runs_on_rayons_pool`,
//!   `hashing_keeps_several_cores_busy`;
//! - `_join_decoy` (`rayon::join` hashes two blocks, the caller the rest): the same two;
//! - `_threads_for_cpu` (a thread per block): `hashing_runs_on_rayons_pool`,
//!   `hashing_uses_no_more_threads_than_cores`;
//! - `_own_threads_for_cpu` (four scoped threads of its own): `hashing_runs_on_rayons_pool`;
//! - `_rayon_pool_per_block` (a rayon pool with a thread per block):
//!   `hashing_uses_no_more_threads_than_cores`;
//! - `_rayon_for_io` (downloads on rayon's pool: 4 at once): `downloads_use_every_connection_…`;
//! - `_thread_per_download` (a thread per URL): `downloads_never_exceed_the_connections`;
//! - `_floor_shares` (`urls.len() / connections` URLs per thread: the rest are never fetched):
//!   `every_page_is_downloaded_once`.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_all_once, assert_each_once, assert_inside, assert_peak_overlap_at_least,
    assert_peak_overlap_at_most, assert_wall_below,
};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::{download_all, hash_blocks};

/// The threads the check gives rayon's global pool: the "cores" of every check here.
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

/// Waits up to `patience` until `count` spans are recorded (work still running when the
/// learner's function returned); returns the trace at that point.
fn settle(trace: &Trace, count: usize, patience: Duration) -> Trace {
    let deadline = Instant::now() + patience;
    while trace.len() < count && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    Trace::from_spans(trace.spans())
}

/// One call of `hash_blocks`.
struct HashRun {
    count: usize,
    latency: Duration,
    expected: Vec<u64>,
    called: Called<Vec<u64>>,
    /// The thread that called `hash_blocks`.
    caller: String,
    trace: Trace,
    /// The threads of no rayon pool that hashed a block, once per block.
    off_pool: Vec<String>,
}

impl HashRun {
    fn labels(&self) -> Vec<String> {
        (0..self.count).map(|i| format!("hash(block {i})")).collect()
    }

    fn sequential(&self) -> Duration {
        self.latency * self.count as u32
    }

    /// Halfway between rayon's pool hashing `POOL` blocks at a time and one after another.
    fn wall_bound(&self) -> Duration {
        let ideal = self.latency * self.count.div_ceil(POOL) as u32;
        ideal + self.sequential().saturating_sub(ideal) / 2
    }

    fn what(&self) -> String {
        format!(
            "hash_blocks of {} blocks ({} ms a hash, rayon's pool of {POOL} threads)",
            self.count,
            self.latency.as_millis()
        )
    }
}

fn hash_run() -> HashRun {
    fix_pool();
    let mut inputs = Inputs::new();
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
    let expected: Vec<u64> = ids.iter().map(|&id| inputs.salt(id)).collect();
    let latency = Duration::from_millis(inputs.between(60, 80));
    let known: HashMap<Vec<u8>, (usize, u64)> =
        blocks.iter().cloned().zip(expected.iter().copied().enumerate()).collect();
    let trace = Trace::new();
    let off_pool = Arc::new(Mutex::new(Vec::new()));
    let hash = {
        let (trace, off_pool) = (trace.clone(), Arc::clone(&off_pool));
        move |block: &[u8]| {
            let (label, value) = match known.get(block) {
                Some(&(i, value)) => (format!("hash(block {i})"), value),
                None => ("hash(a block it was not given)".to_string(), 0),
            };
            if rayon::current_thread_index().is_none() {
                let me = format!("{:?}", thread::current().id());
                off_pool.lock().unwrap_or_else(|e| e.into_inner()).push(me);
            }
            let _span = trace.span(label);
            thread::sleep(latency);
            value
        }
    };
    let called = call("hash_blocks", DEADLINE, move || {
        let caller = format!("{:?}", thread::current().id());
        (caller, hash_blocks(&blocks, hash))
    });
    let trace = settle(&trace, count, latency * 4);
    let off_pool = std::mem::take(&mut *off_pool.lock().unwrap_or_else(|e| e.into_inner()));
    let Called { value: (caller, value), start_us, end_us } = called;
    HashRun {
        count,
        latency,
        expected,
        called: Called { value, start_us, end_us },
        caller,
        trace,
        off_pool,
    }
}

/// One call of `download_all`.
struct DownloadRun {
    connections: usize,
    latency: Duration,
    /// The page and the span label of every URL.
    pages: Vec<String>,
    labels: Vec<String>,
    called: Called<Vec<String>>,
    trace: Trace,
}

impl DownloadRun {
    fn sequential(&self) -> Duration {
        self.latency * self.pages.len() as u32
    }

    /// Halfway between `connections` downloads at a time and one after another.
    fn wall_bound(&self) -> Duration {
        let ideal = self.latency * self.pages.len().div_ceil(self.connections) as u32;
        ideal + self.sequential().saturating_sub(ideal) / 2
    }

    /// Most connections busy at once: room for threads that start late on a busy machine,
    /// and still well above rayon's pool.
    fn most_connections(&self) -> usize {
        (self.connections * 3).div_ceil(4)
    }

    fn what(&self) -> String {
        format!(
            "download_all of {} URLs with {} connections ({} ms a download)",
            self.pages.len(),
            self.connections,
            self.latency.as_millis()
        )
    }
}

fn download_run() -> DownloadRun {
    fix_pool();
    let mut inputs = Inputs::new();
    let connections = inputs.between(2 * POOL as u64, 3 * POOL as u64) as usize;
    let count = connections * inputs.between(2, 3) as usize
        + inputs.between(1, connections as u64 - 1) as usize;
    let ids = inputs.distinct(count, 1, 999_999);
    let urls: Vec<String> = ids.iter().map(|id| format!("http://example.test/page/{id}")).collect();
    let labels: Vec<String> = ids.iter().map(|id| format!("GET /page/{id}")).collect();
    let pages: Vec<String> =
        ids.iter().map(|&id| format!("<html>{:016x}</html>", inputs.salt(id))).collect();
    let latency = Duration::from_millis(inputs.between(60, 90));
    let known: HashMap<String, (String, String)> = urls
        .iter()
        .cloned()
        .zip(labels.iter().cloned().zip(pages.iter().cloned()))
        .collect();
    let trace = Trace::new();
    let download = {
        let trace = trace.clone();
        move |url: &str| {
            let (label, page) = known.get(url).cloned().unwrap_or_else(|| {
                (format!("GET {url} (a URL it was not given)"), "<html>404</html>".to_string())
            });
            let _span = trace.span(label);
            thread::sleep(latency);
            page
        }
    };
    let called = call("download_all", DEADLINE, move || download_all(urls, connections, download));
    let trace = settle(&trace, count, latency * 4);
    DownloadRun { connections, latency, pages, labels, called, trace }
}

#[test]
fn hashes_are_in_block_order() {
    let run = hash_run();
    let got = &run.called.value;
    if *got != run.expected {
        let wrong = got.iter().zip(&run.expected).filter(|(g, w)| g != w).count()
            + got.len().abs_diff(run.expected.len());
        panic!(
            "{} returned {} hashes; {wrong} of them are not the hash of the block at their \
             position: each value must be what `hash` returned for that block, in the order \
             of `blocks`",
            run.what(),
            got.len()
        );
    }
    assert_each_once(&run.trace, &run.labels(), "hashes (one per block)");
    assert_inside(&run.trace, &run.called, "hashes", "hash_blocks");
}

#[test]
fn hashing_runs_on_rayons_pool() {
    let run = hash_run();
    assert_inside(&run.trace, &run.called, "hashes", "hash_blocks");
    if run.trace.is_empty() {
        panic!("{} never called `hash`", run.what());
    }
    let off = &run.off_pool;
    if !off.is_empty() {
        let on_caller = off.iter().filter(|t| **t == run.caller).count();
        let others: BTreeSet<&String> = off.iter().filter(|t| **t != run.caller).collect();
        let mut where_ = Vec::new();
        if on_caller > 0 {
            where_.push(format!("{on_caller} on the thread that called hash_blocks"));
        }
        if !others.is_empty() {
            where_.push(format!(
                "{} on {} thread(s) of your own",
                off.len() - on_caller,
                others.len()
            ));
        }
        panic!(
            "{}: {} of the {} hashes ran outside rayon's pool ({}). Hashing keeps a core \
             busy, so it belongs on rayon's pool, which has one thread per core (`par_iter`); \
             threads of your own are not sized to the cores.{}",
            run.what(),
            off.len(),
            run.trace.len(),
            where_.join(", "),
            picture(&run.trace, "hashes")
        );
    }
}

#[test]
fn hashing_keeps_several_cores_busy() {
    let run = hash_run();
    assert_inside(&run.trace, &run.called, "hashes", "hash_blocks");
    assert_peak_overlap_at_least(&run.trace, POOL, "hashes");
    assert_wall_below(run.called.elapsed(), run.wall_bound(), run.sequential(), &run.what());
}

#[test]
fn hashing_uses_no_more_threads_than_cores() {
    let run = hash_run();
    assert_inside(&run.trace, &run.called, "hashes", "hash_blocks");
    let threads = run.trace.distinct_threads();
    assert!(
        threads <= POOL,
        "{}: the hashes ran on {threads} different threads, but rayon's pool here has {POOL}, \
         one per core (the check sizes it as if the machine had {POOL} cores): for work that \
         keeps the CPU busy, threads beyond one per core only take turns. Use rayon's own \
         pool, not a pool or threads of your own with more threads.{}",
        run.what(),
        picture(&run.trace, "hashes")
    );
}

#[test]
fn every_page_is_downloaded_once() {
    let run = download_run();
    assert_all_once(&run.called.value, &run.pages, &format!("pages returned by {}", run.what()));
    assert_each_once(&run.trace, &run.labels, "downloads (one per URL)");
    assert_inside(&run.trace, &run.called, "downloads", "download_all");
}

#[test]
fn downloads_use_every_connection_at_once() {
    let run = download_run();
    assert_inside(&run.trace, &run.called, "downloads", "download_all");
    assert_peak_overlap_at_least(&run.trace, run.most_connections(), "downloads");
    assert_wall_below(run.called.elapsed(), run.wall_bound(), run.sequential(), &run.what());
}

#[test]
fn downloads_never_exceed_the_connections() {
    let run = download_run();
    assert_inside(&run.trace, &run.called, "downloads", "download_all");
    assert_peak_overlap_at_most(&run.trace, run.connections, "downloads");
}
