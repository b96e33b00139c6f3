//! Hidden checks for `01_threads/move_closures`.
//!
//! `upload` is the kit's: a sleep whose length the check sets per run (300–450 ms, seeded),
//! recorded in the check's bench as a span labelled `upload {file}` when it ends. The server
//! and the file names are drawn per run too, so no address can be hard-coded. The checks
//! call `start_uploads` under the kit's `call` and snapshot the trace the moment it returns:
//! it must return at once (well within a third of one upload, and with no upload finished).
//! Then they join the handles; every upload must lie inside the window from the call to the
//! last join, be done exactly once per file, and all of them must overlap, with the window
//! well below the uploads one after another.
//!
//! Which variant (`tests/variants/01_threads/`) bites which check:
//! - `start_uploads_returns_before_the_uploads_finish`: `move_closures_waits` (waits for every
//!   upload), `move_closures_waits_a_while` (blocks for most of an upload, then returns);
//! - `joining_gives_each_file_its_address`: `move_closures_fixed_server` (the server of the
//!   example in `main`);
//! - `every_file_is_uploaded_once`: `move_closures_no_upload` (the address, without uploading);
//! - `uploads_run_at_the_same_time`: `move_closures_take_turns` (one shared lock),
//!   `move_closures_no_upload`.

use std::thread::JoinHandle;
use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_each_once, assert_peak_overlap_at_least, assert_wall_below,
    panic_message,
};
use concur_kit::publish::picture;
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::*;

/// A call or a join that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);
const NAMES: [&str; 6] = ["cat", "dog", "notes", "song", "plan", "photo"];
const EXTENSIONS: [&str; 4] = ["jpg", "png", "txt", "mp3"];

/// What the check chose for one run.
struct Setup {
    server: String,
    files: Vec<String>,
    latency: Duration,
}

impl Setup {
    fn draw(inputs: &mut Inputs, count: usize) -> Setup {
        let server = format!("https://files-{:06x}.example", inputs.salt(0) & 0xff_ffff);
        let files = (0..count)
            .map(|i| {
                let name = NAMES[i % NAMES.len()];
                let extension = inputs.pick(&EXTENSIONS);
                format!("{name}-{:04x}.{extension}", inputs.salt(i as u64 + 1) & 0xffff)
            })
            .collect();
        let latency = Duration::from_millis(inputs.between(300, 450));
        Setup {
            server,
            files,
            latency,
        }
    }

    fn random(inputs: &mut Inputs) -> Setup {
        let count = inputs.between(3, 6) as usize;
        Setup::draw(inputs, count)
    }

    fn addresses(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|f| format!("{}/{f}", self.server))
            .collect()
    }

    fn labels(&self) -> Vec<String> {
        self.files.iter().map(|f| format!("upload {f}")).collect()
    }
}

/// One run: the call to `start_uploads`, the uploads finished when it returned, the joined
/// addresses, the window from the call to the last join, and every upload recorded.
struct Run {
    setup: Setup,
    started: Called<usize>,
    finished_at_return: Trace,
    addresses: Vec<String>,
    window: Called<()>,
    trace: Trace,
}

fn run(setup: Setup) -> Run {
    let bench = Bench::start();
    bench.set_latency("upload", setup.latency);
    let live = bench.live();
    let (server, files) = (setup.server.clone(), setup.files.clone());
    let started = call("start_uploads", DEADLINE, move || {
        let handles = start_uploads(&server, files);
        let finished = Trace::from_spans(live.spans());
        (handles, finished)
    });
    let (handles, finished_at_return) = started.value;
    let started = Called {
        value: handles.len(),
        start_us: started.start_us,
        end_us: started.end_us,
    };
    let joined = call("joining the upload handles", DEADLINE, move || join_all(handles));
    let window = Called {
        value: (),
        start_us: started.start_us,
        end_us: joined.end_us,
    };
    let trace = bench.settle(setup.files.len(), setup.latency * 2);
    Run {
        setup,
        started,
        finished_at_return,
        addresses: joined.value,
        window,
        trace,
    }
}

/// Joins every handle, in order.
fn join_all(handles: Vec<JoinHandle<String>>) -> Vec<String> {
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|p| panic!("an upload thread panicked: {}", panic_message(&*p)))
        })
        .collect()
}

/// Every upload started after `start_uploads` was called and ended before the last handle was
/// joined: the handles are what waits for the uploads.
#[track_caller]
fn assert_in_window(run: &Run) {
    let spans = run.trace.spans();
    let early = spans
        .iter()
        .filter(|s| s.start_us < run.window.start_us)
        .count();
    let late = spans
        .iter()
        .filter(|s| s.end_us > run.window.end_us)
        .count();
    assert!(
        early == 0,
        "{early} of the {} uploads had started before start_uploads was called",
        spans.len()
    );
    assert!(
        late == 0,
        "{late} of the {} uploads were still running after every handle had been joined: \
         joining a handle must wait for its upload, so each handle should be the thread that \
         calls `upload`{}",
        spans.len(),
        picture(&run.trace, "uploads")
    );
}

#[test]
fn start_uploads_returns_before_the_uploads_finish() {
    let run = run(Setup::random(&mut Inputs::new()));
    let n = run.finished_at_return.len();
    let uploads = run.setup.files.len();
    let latency = run.setup.latency.as_millis();
    assert!(
        n == 0,
        "start_uploads returned only after {n} of the {uploads} uploads had finished. It should \
         start them and return straight away; whoever joins the handles does the waiting.{}",
        picture(&run.finished_at_return, "uploads finished before it returned")
    );
    let took = run.started.elapsed();
    assert!(
        took < run.setup.latency / 3,
        "start_uploads took {} ms to return, while one upload takes {latency} ms: it should \
         start the uploads and return straight away, without waiting for any of them",
        took.as_millis()
    );
}

#[test]
fn joining_gives_each_file_its_address() {
    let run = run(Setup::random(&mut Inputs::new()));
    let files = run.setup.files.len();
    assert!(
        run.started.value == files,
        "start_uploads returned {} handles for {files} files; it needs one per file",
        run.started.value
    );
    let expected = run.setup.addresses();
    assert!(
        run.addresses == expected,
        "start_uploads({:?}, {:?}), joined in order, gave {:?}; expected {expected:?}: the i-th \
         handle must give the address `upload` returned for the i-th file",
        run.setup.server,
        run.setup.files,
        run.addresses
    );
}

#[test]
fn every_file_is_uploaded_once() {
    let run = run(Setup::random(&mut Inputs::new()));
    assert_each_once(&run.trace, &run.setup.labels(), "uploads");
    assert_in_window(&run);
}

#[test]
fn uploads_run_at_the_same_time() {
    let run = run(Setup::random(&mut Inputs::new()));
    let n = run.setup.files.len();
    let latency = run.setup.latency;
    assert_in_window(&run);
    assert_peak_overlap_at_least(&run.trace, n, "uploads");
    assert_wall_below(
        run.window.elapsed(),
        latency * 2,
        latency * n as u32,
        &format!(
            "starting {n} uploads of {} ms and joining them",
            latency.as_millis()
        ),
    );
}

#[test]
fn no_files_give_no_handles() {
    let run = run(Setup::draw(&mut Inputs::new(), 0));
    assert!(
        run.started.value == 0,
        "start_uploads with no files returned {} handles, expected none",
        run.started.value
    );
}
