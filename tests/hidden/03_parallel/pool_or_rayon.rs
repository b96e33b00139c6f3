//! Hidden checks for `03_parallel/pool_or_rayon`.
//!
//! Hashing is real CPU work (FNV-1a, a few ms a block) in a traced span: the checks want
//! several threads hashing at once, but no more threads than the machine has cores (what
//! `std::thread::available_parallelism` says, which is also what sizes rayon's default
//! pool). Downloading is a traced sleep of 80 ms: the checks want about `connections`
//! downloads in flight at once, and never more.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{
    assert_all_once, assert_distinct_threads_at_least, assert_peak_overlap_at_least,
    assert_peak_overlap_at_most, TIMELINE_WIDTH, panic_message,
};
use concur_kit::trace::Trace;
use concur_kit::trace::traced;

use crate::exercise::{download_all, hash_blocks};

const BLOCKS: usize = 16;
const URLS: usize = 40;
const CONNECTIONS: usize = 20;
/// Some room for threads that start late on a busy machine; rayon's few threads are far below.
const MOST_CONNECTIONS_BUSY: usize = CONNECTIONS * 3 / 4;
const DOWNLOAD: Duration = Duration::from_millis(80);
const DEADLINE: Duration = Duration::from_secs(8);

fn fnv(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..96 {
        for &byte in data {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn blocks() -> Vec<Vec<u8>> {
    (0..BLOCKS).map(|i| (0..16 * 1024).map(|j| (i * 13 + j * 5) as u8).collect()).collect()
}

fn urls() -> Vec<String> {
    (1..=URLS).map(|i| format!("http://example.test/page/{i}")).collect()
}

fn cores() -> usize {
    thread::available_parallelism().map_or(1, usize::from)
}

fn guarded<T: Send + 'static>(what: &str, trace: &Trace, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("{what} panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not return within {DEADLINE:?} ({} items done).\n\ntimeline:\n{}",
            trace.len(),
            trace.timeline(TIMELINE_WIDTH)
        ),
    }
}

fn hash_run() -> (Vec<u64>, Trace) {
    let trace = Trace::new();
    let recorder = trace.clone();
    let hashes = guarded("hash_blocks", &trace, move || {
        let hash = move |block: &[u8]| {
            let _span = recorder.span(format!("hash({:02x}…)", block[1]));
            fnv(block)
        };
        hash_blocks(&blocks(), hash)
    });
    (hashes, trace)
}

fn download_run() -> (Vec<String>, Trace) {
    let trace = Trace::new();
    let recorder = trace.clone();
    let pages = guarded("download_all", &trace, move || {
        let download = move |url: &str| {
            let page = url.rsplit('/').next().unwrap_or(url).to_string();
            traced(&recorder, format!("GET /page/{page}"), DOWNLOAD, || format!("<html>{page}</html>"))
        };
        download_all(urls(), CONNECTIONS, download)
    });
    (pages, trace)
}

#[test]
fn hashes_are_in_block_order() {
    let (hashes, _) = hash_run();
    let expected: Vec<u64> = blocks().iter().map(|b| fnv(b)).collect();
    assert!(
        hashes == expected,
        "hash_blocks returned {} hashes, but not the hash of each block in block order",
        hashes.len()
    );
}

#[test]
fn hashing_keeps_several_cores_busy() {
    let (_, trace) = hash_run();
    let want = cores().min(2);
    assert_peak_overlap_at_least(&trace, want, "hashes");
    assert_distinct_threads_at_least(&trace, want, "hashes");
}

#[test]
fn hashing_uses_no_more_threads_than_cores() {
    let (_, trace) = hash_run();
    let threads = trace.distinct_threads();
    let cores = cores();
    assert!(
        threads <= cores,
        "the {BLOCKS} hashes ran on {threads} different threads, but this machine has {cores} \
         cores: for work that keeps the CPU busy, threads beyond one per core only take \
         turns. rayon's pool is sized to the cores.\n\ntimeline:\n{}",
        trace.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn every_page_is_downloaded_once() {
    let (pages, _) = download_run();
    let expected: Vec<String> = (1..=URLS).map(|i| format!("<html>{i}</html>")).collect();
    assert_all_once(&pages, &expected, "pages returned by download_all (40 urls)");
}

#[test]
fn downloads_use_every_connection_at_once() {
    let (_, trace) = download_run();
    assert_peak_overlap_at_least(&trace, MOST_CONNECTIONS_BUSY, "downloads");
}

#[test]
fn downloads_never_exceed_the_connections() {
    let (_, trace) = download_run();
    assert_peak_overlap_at_most(&trace, CONNECTIONS, "downloads");
}
