//! Hidden checks for `03_parallel/par_iter`.
//!
//! The checksum is real CPU work (FNV-1a over a 16 KiB block, 96 rounds: a few ms each),
//! run inside a traced span. The checks never time it: they ask whether several threads
//! were inside a checksum at the same moment. The global rayon pool is built with a known
//! number of threads, so the answer does not depend on the machine's core count.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::check::{assert_distinct_threads_at_least, assert_peak_overlap_at_least, panic_message};
use concur_kit::trace::Trace;

use crate::exercise::{checksums, count_corrupt};

const BLOCKS: usize = 16;
const POOL_THREADS: usize = 4;
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
    (0..BLOCKS).map(|i| (0..16 * 1024).map(|j| (i * 31 + j * 7) as u8).collect()).collect()
}

/// Builds the global pool (once per process; each check is its own process) and runs `f`
/// on its own thread with a traced checksum, guarded by a deadline.
fn with_traced_checksum<T: Send + 'static>(
    what: &str,
    f: impl FnOnce(&(dyn Fn(&[u8]) -> u64 + Sync + Send)) -> T + Send + 'static,
) -> (T, Trace) {
    let _ = rayon::ThreadPoolBuilder::new().num_threads(POOL_THREADS).build_global();
    let trace = Trace::new();
    let recorder = trace.clone();
    let (tx, rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let checksum = move |block: &[u8]| {
            let _span = recorder.span(format!("checksum({:02x}…)", block[1]));
            fnv(block)
        };
        let _ = tx.send(f(&checksum));
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(value) => (value, trace),
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("{what} panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not return within {DEADLINE:?} ({} checksums done)", trace.len())
        }
    }
}

fn expected_sums() -> Vec<u64> {
    blocks().iter().map(|b| fnv(b)).collect()
}

fn corrupted_expectations() -> Vec<u64> {
    let mut expected = expected_sums();
    for i in [2, 7, 11] {
        expected[i] ^= 0xff;
    }
    expected
}

#[test]
fn checksums_are_in_block_order() {
    let (sums, _) = with_traced_checksum("checksums", |checksum| checksums(&blocks(), checksum));
    assert!(
        sums == expected_sums(),
        "checksums returned {} values, but not the checksum of each block in block order: \
         `collect` on a parallel iterator keeps the order, `for_each` pushing into a shared \
         Vec does not",
        sums.len()
    );
}

#[test]
fn checksums_run_on_several_threads_at_once() {
    let (_, trace) = with_traced_checksum("checksums", |checksum| checksums(&blocks(), checksum));
    assert_peak_overlap_at_least(&trace, 2, "checksums");
    assert_distinct_threads_at_least(&trace, 2, "checksums");
}

#[test]
fn corrupt_blocks_are_counted() {
    let expected = corrupted_expectations();
    let (count, _) = with_traced_checksum("count_corrupt", move |checksum| {
        count_corrupt(&blocks(), &expected, checksum)
    });
    assert_eq!(count, 3, "count_corrupt found {count} corrupt blocks; 3 of the 16 are corrupt");
}

#[test]
fn counting_runs_on_several_threads_at_once() {
    let expected = corrupted_expectations();
    let (_, trace) = with_traced_checksum("count_corrupt", move |checksum| {
        count_corrupt(&blocks(), &expected, checksum)
    });
    assert_peak_overlap_at_least(&trace, 2, "checksums");
    assert_distinct_threads_at_least(&trace, 2, "checksums");
}
