//! Hidden checks for `04_processes/pipe_queue`.
//!
//! The worker is the learner's own program (`CONCUR_EXERCISE_BIN`) run as `program worker`.
//! Its given `serve` answers each job with the kit's `uppercase` workload, which reports to the
//! check's bench through the witness socket with the pid the kernel gives for the caller, so
//! the check sees which process did the work (the `worker` field of a reply is the learner's
//! own word and proves nothing). Every run draws the jobs' ids and texts (seeded, replayable
//! with `concur verify pipe_queue --seed N`).
//!
//! `serve` writes its replies through a `BufWriter`: they reach the pipe in blocks of 8 KiB,
//! and the rest only when the worker's stdin is closed. So a parent that waits for replies
//! before closing the worker's stdin hangs even on a few jobs
//! (`tests/variants/04_processes/pipe_queue_stdin_open.rs`). The large batch is several times
//! a pipe's buffer (64 KiB on Linux, 16–64 KiB on macOS) each way, which deadlocks a parent
//! that writes every job before reading any reply (`pipe_queue_write_then_read.rs`).

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::Called;
use concur_kit::check::{assert_inside, panic_message};
use concur_kit::process::{assert_no_children, exercise_program};
use concur_kit::seed::Inputs;
use concur_kit::trace::{now_us, Trace};

use crate::exercise::{run_batch, Job, Reply};

/// Jobs in the large batch: ~130 bytes a line, so ~400 KiB each way.
const LARGE: u64 = 3_000;
/// The large batch takes a few milliseconds when it works; anything near this is stuck.
const DEADLINE: Duration = Duration::from_secs(5);
/// What a pipe holds on Linux; less than this to send cannot fill the worker's stdin.
const PIPE: usize = 64 * 1024;
/// Words the jobs' texts are made of.
const WORDS: [&str; 8] = ["pipe", "queue", "bytes", "line", "json", "child", "worker", "reply"];

/// `count` jobs of this run: distinct ids in no order, texts of about 110 bytes.
fn jobs(count: u64) -> Vec<Job> {
    let mut inputs = Inputs::new();
    inputs
        .distinct(count as usize, 1, 9_999_999)
        .into_iter()
        .map(|id| {
            let words: Vec<&str> = (0..14).map(|_| *inputs.pick(&WORDS)).collect();
            Job { id, text: format!("job {id} says {}", words.join(" ")) }
        })
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
        let start_us = now_us();
        let value = run_batch(&program, &jobs);
        let end_us = now_us();
        // If the receiver is gone the check has already failed; nothing left to tell.
        let _ = done_tx.send(Called { value, start_us, end_us });
    });
    let called = match done_rx.recv_timeout(DEADLINE) {
        Ok(called) => called,
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("run_batch panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner thread sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let answered = bench.trace().len();
            let seen = format!(
                "run_batch did not return within {DEADLINE:?} with {count} jobs ({kib} KiB to \
                 send, about as much to read back); the worker had worked on {answered} of them",
                kib = bytes / 1024,
            );
            if answered >= count {
                panic!(
                    "{seen}, so every job reached it. The given `serve` writes its replies \
                     through a BufWriter, which passes them on in blocks of 8 KiB and the last \
                     ones only when its stdin is closed: is run_batch waiting for replies \
                     before it has closed the worker's stdin (by dropping `child.stdin`, or \
                     the writer that owns it)?"
                );
            }
            if bytes >= PIPE {
                panic!(
                    "{seen}, and took no more. The jobs and the replies are each more \
                     than a pipe holds (about 64 KiB): if nobody reads the replies while the \
                     jobs are being sent, the worker's stdout pipe fills up, the worker stops \
                     reading its stdin, your writes block, and both sides wait for each other \
                     for ever. Read the replies while the jobs are still being sent: write on \
                     one thread, read on another. (Or were the last jobs never flushed?)"
                );
            }
            panic!(
                "{seen}, and took no more, though all of the jobs fit in a pipe. Were \
                 they all written, and flushed (a BufWriter keeps what it holds until it is \
                 flushed or dropped)?"
            );
        }
    };
    let Called { value, start_us, end_us } = called;
    let replies = value
        .unwrap_or_else(|error| panic!("run_batch returned an error with {count} jobs: {error}"));
    let trace = bench.trace();
    assert_inside(&trace, &Called { value: (), start_us, end_us }, "uppercase jobs", "run_batch");
    (replies, trace)
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
