//! Workloads append to the file named by CONCUR_TRACE_FILE. This binary holds one test because
//! it sets a process-wide environment variable.

use std::thread;
use std::time::Duration;

use concur_kit::{global, simulate, slow_square, Trace, TRACE_FILE_ENV};

#[test]
fn workloads_append_to_the_trace_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spans.jsonl");
    std::env::set_var(TRACE_FILE_ENV, &path);

    thread::scope(|s| {
        s.spawn(|| slow_square(3));
        s.spawn(|| simulate("fetch", Duration::from_millis(50)));
    });

    let from_file = Trace::load(&path).expect("load trace file");
    let mut labels: Vec<String> = from_file.spans().into_iter().map(|s| s.label).collect();
    labels.sort();
    assert_eq!(labels, ["fetch", "slow_square(3)"]);
    assert_eq!(from_file.peak_overlap(), 2);
    assert_eq!(from_file.distinct_threads(), 2);
    assert_eq!(from_file.spans(), global().spans());
}
