//! concur-kit: what concur's hidden checks use to prove a learner's code is concurrent.
//!
//! Checks hand the learner's code a workload ([`workload`]) that records a [`Trace`] — start,
//! end, thread and pid of every unit of work — and assert facts of that trace ([`check`]):
//! peak overlap, distinct threads or processes, never more than a bound. Work is simulated
//! latency whose sequential cost is known exactly, so a busy machine cannot fail a correct
//! solution. Failure messages say what was observed and end with a [`timeline`] picture.
//! Async exercises call the [`api`] mock HTTP API, whose request log gives peak in-flight.
//! [`experiment`] measures one approach on one workload for a comparison table.
//! [`process`] finds the learner's program and detects leaked child processes.
//!
//! Learners only ever touch the workloads an exercise gives them, e.g.
//! `concur_kit::workload::slow_square`.

pub mod api;
pub mod check;
pub mod experiment;
pub mod process;
pub mod publish;
pub mod row;
pub mod timeline;
pub mod trace;
pub mod workload;

pub use api::{ApiConfig, MockApi, RequestRecord};
pub use check::{
    assert_all_once, assert_distinct_pids_at_least, assert_distinct_threads_at_least,
    assert_in_flight_at_least, assert_in_flight_at_most, assert_peak_overlap_at_least,
    assert_peak_overlap_at_most, assert_wall_below,
};
#[cfg(unix)]
pub use process::assert_no_children;
pub use process::{exercise_program, PROGRAM_ENV};
pub use trace::{global, Span, SpanGuard, Trace, TRACE_FILE_ENV};
pub use workload::{simulate, slow_square, traced, LATENCY};
