//! concur-kit: what concur's hidden checks use to prove a learner's code is concurrent.
//!
//! Checks hand the learner's code a workload ([`workload`]) that records into the check's
//! [`bench`] — start, end, thread and pid of every unit of work, timed by the kit and, for child
//! processes, witnessed through a socket the kernel names the caller of ([`witness`]) — or a
//! closure that records into a [`Trace`] of the check's own, and assert facts of that trace
//! ([`check`]): peak overlap, distinct threads or processes, never more than a bound. Work is
//! simulated latency whose sequential cost is known exactly, so a busy machine cannot fail a
//! correct solution. Failure messages say what was observed and end with a [`timeline`]
//! picture. Async exercises call the [`api`] mock HTTP API, whose request log gives peak
//! in-flight. [`experiment`] measures one approach on one workload for a comparison table.
//! [`process`] finds the learner's program and detects leaked child processes. [`harness`] is
//! the check's line to concur: the pass record learner code cannot write.
//!
//! Learners only ever touch [`workload`]; concur refuses a learner file that names anything
//! else of the kit.

pub mod api;
pub mod bench;
pub mod call;
pub mod check;
pub mod experiment;
pub mod harness;
pub mod process;
pub mod publish;
pub mod row;
pub mod seed;
pub mod ticker;
pub mod timeline;
pub mod trace;
pub mod witness;
pub mod workload;

pub use api::{ApiConfig, MockApi, RequestRecord};
pub use bench::Bench;
pub use call::{call, call_async, Called};
pub use check::{
    assert_all_once, assert_distinct_pids_at_least, assert_distinct_threads_at_least,
    assert_each_once, assert_in_flight_at_least, assert_in_flight_at_most, assert_inside,
    assert_peak_overlap_at_least, assert_peak_overlap_at_most, assert_wall_below,
};
#[cfg(unix)]
pub use process::assert_no_children;
pub use process::{exercise_program, PROGRAM_ENV};
pub use seed::Inputs;
pub use trace::{Span, SpanGuard, Trace};
