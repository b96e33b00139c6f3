//! Hidden checks for `04_processes/pipe_queue`.
//!
//! The worker is the learner's own program (`CONCUR_EXERCISE_BIN`) run as `program worker`.
//! Its given `serve` answers each job with the kit's `uppercase` workload, which reports to the
//! check's bench through the witness socket with the pid the kernel gives for the caller, so
//! the check sees which process did the work (the `worker` field of a reply is the learner's
//! own word and proves nothing). The
//! large batch is several times a pipe's buffer (64 KiB on Linux, 16–64 KiB on macOS) each
//! way, which deadlocks a parent that writes every job before reading any reply.
//! `tests/variants/04_processes/pipe_queue_write_then_read.rs` is such a parent.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::check::panic_message;
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::trace::Trace;

use crate::exercise::{run_batch, Job, Reply};

/// Jobs in the large batch: ~130 bytes a line, so ~400 KiB each way.
const LARGE: u64 = 3_000;
/// The large batch takes a few milliseconds when it works; anything near this is stuck.
const DEADLINE: Duration = Duration::from_secs(5);

fn jobs(count: u64) -> Vec<Job> {
    (1..=count)
        .map(|id| Job { id, text: format!("job {id} says {}", "hello pipe ".repeat(9)) })
        .collect()
}

/// Runs `run_batch` on `jobs` under the deadline and returns its replies and the work the
/// bench's witness saw.
fn run(jobs: Vec<Job>) -> (Vec<Reply>, Trace) {
    let bench = Bench::start().with_children();
    let count = jobs.len();
    let bytes: usize = jobs.iter().map(|job| serde_json::to_string(job).map_or(0, |l| l.len() + 1)).sum();
    let program = exercise_program();
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        // If the receiver is gone the check has already failed; nothing left to tell.
        let _ = done_tx.send(run_batch(&program, &jobs));
    });
    let replies = match done_rx.recv_timeout(DEADLINE) {
        Ok(replies) => replies,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("run_batch panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "run_batch did not return within {DEADLINE:?} with {count} jobs ({kib} KiB to send, \
             about as much to read back): it is stuck. A pipe holds only about 64 KiB. The \
             worker answers as it reads, so if you send every job before reading any reply, \
             the worker's stdout pipe fills up, the worker stops reading its stdin, your writes \
             block, and both sides wait for each other for ever. Read the replies while the \
             jobs are still being sent: write on one thread, read on another.",
            kib = bytes / 1024,
        ),
    };
    let replies = replies
        .unwrap_or_else(|error| panic!("run_batch returned an error with {count} jobs: {error}"));
    (replies, bench.trace())
}

/// The replies answer `jobs` one for one, in order, and the work was done in one other
/// process, once per job.
#[track_caller]
fn assert_replies(jobs: &[Job], replies: &[Reply], work: &Trace) {
    if replies.len() != jobs.len() {
        panic!("run_batch returned {} replies for {} jobs; expected one reply per job", replies.len(), jobs.len());
    }
    for (job, reply) in jobs.iter().zip(replies) {
        let expected = job.text.to_uppercase();
        if reply.id != job.id || reply.text != expected {
            panic!(
                "reply number {} is {{id: {}, text: {:?}}}; expected {{id: {}, text: {:?}}}: \
                 replies must come back in the order of the jobs, as the worker sent them",
                job.id, reply.id, reply.text, job.id, expected
            );
        }
    }
    let me = std::process::id();
    let spans = work.spans();
    let here = spans.iter().filter(|span| span.pid == me).count();
    if here > 0 {
        panic!(
            "{here} of the {} jobs were answered in this process; they must be answered by the \
             worker process, `program worker`, which run_batch starts",
            jobs.len()
        );
    }
    if spans.len() != jobs.len() {
        panic!(
            "the worker answered {} jobs for the {} sent: each job is sent once and answered \
             once, by the given `serve`",
            spans.len(),
            jobs.len()
        );
    }
    let workers = work.distinct_pids();
    if workers != 1 {
        panic!("the jobs were answered by {workers} worker processes; run_batch must start one worker and send it every job");
    }
}

#[test]
fn a_few_jobs_come_back_in_order() {
    let jobs = jobs(10);
    let (replies, work) = run(jobs.clone());
    assert_replies(&jobs, &replies, &work);
}

#[test]
fn a_large_batch_does_not_deadlock() {
    let jobs = jobs(LARGE);
    let (replies, work) = run(jobs.clone());
    assert_replies(&jobs, &replies, &work);
}

#[test]
fn the_worker_is_waited_for() {
    let _ = run(jobs(10));
    assert_no_children();
}
