//! Hidden checks for `01_threads/move_closures`.
//!
//! Every `upload` is a traced 300 ms sleep recorded in the check's bench, and a span is
//! recorded when it ends. So the trace as it was when `start_uploads` returned says how many
//! uploads it waited for (none, if it returned at once); after joining, the trace says how many
//! ran at the same time. `tests/variants/01_threads/` holds a version that waits for its uploads
//! before returning and one whose uploads take turns.

use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use concur_kit::check::{assert_peak_overlap_at_least, panic_message, TIMELINE_WIDTH};
use concur_kit::bench::Bench;
use concur_kit::trace::Trace;

use crate::exercise::*;

const SERVER: &str = "https://files.example";
const FILES: [&str; 4] = ["cat.jpg", "dog.png", "notes.txt", "song.mp3"];
/// A call or a join that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

fn files() -> Vec<String> {
    FILES.iter().map(|f| f.to_string()).collect()
}

/// Runs `f` on its own thread and waits at most `DEADLINE` for its value.
fn within_deadline<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = done_tx.send(f());
    });
    match done_rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("{what} panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not return within {DEADLINE:?}"),
    }
}

/// Calls `start_uploads` with the bench recording; returns the handles and the uploads that
/// had already finished when it returned.
fn start(bench: &Bench, files: Vec<String>) -> (Vec<JoinHandle<String>>, Trace) {
    let live = bench.live();
    within_deadline("start_uploads", move || {
        let handles = start_uploads(SERVER, files);
        let finished = Trace::from_spans(live.spans());
        (handles, finished)
    })
}

/// Joins every handle, in order.
fn join_all(handles: Vec<JoinHandle<String>>) -> Vec<String> {
    within_deadline("joining the upload handles", move || {
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|p| panic!("an upload thread panicked: {}", panic_message(&*p)))
            })
            .collect()
    })
}

#[test]
fn start_uploads_returns_before_the_uploads_finish() {
    let bench = Bench::start();
    let (handles, finished) = start(&bench, files());
    join_all(handles);
    let n = finished.len();
    assert!(
        n == 0,
        "start_uploads returned only after {n} of the {} uploads had finished. It should start \
         them and return straight away; whoever joins the handles does the waiting.\n\n\
         uploads finished before it returned:\n{}",
        FILES.len(),
        finished.timeline(TIMELINE_WIDTH)
    );
}

#[test]
fn joining_gives_each_file_its_address() {
    let bench = Bench::start();
    let (handles, _) = start(&bench, files());
    assert!(
        handles.len() == FILES.len(),
        "start_uploads returned {} handles for {} files; it needs one per file",
        handles.len(),
        FILES.len()
    );
    let got = join_all(handles);
    let expected: Vec<String> = FILES.iter().map(|f| format!("{SERVER}/{f}")).collect();
    assert!(
        got == expected,
        "joining the handles in order gave {got:?}, expected {expected:?}: the i-th handle must \
         belong to the i-th file"
    );
}

#[test]
fn uploads_run_at_the_same_time() {
    let bench = Bench::start();
    let (handles, _) = start(&bench, files());
    join_all(handles);
    assert_peak_overlap_at_least(&bench.trace(), FILES.len(), "uploads");
}

#[test]
fn no_files_give_no_handles() {
    let bench = Bench::start();
    let (handles, _) = start(&bench, Vec::new());
    assert!(
        handles.is_empty(),
        "start_uploads with no files returned {} handles, expected none",
        handles.len()
    );
}
