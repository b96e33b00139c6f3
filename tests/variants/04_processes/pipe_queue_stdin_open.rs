// expect-fail: a_few_jobs_come_back_in_order
// expect-fail: a_large_batch_does_not_deadlock
// expect-fail: the_worker_is_waited_for
//
// Wrong variant of pipe_queue: it writes on one thread and reads on another,
// but it closes the worker's stdin only after it has read one reply per job.
// The worker's BufWriter hands over its last replies only when its stdin is
// closed, so both sides wait for ever, even on a few jobs. The deadline
// message must name the stdin left open, not a full pipe.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::{ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::thread;
use std::time::Instant;

use concur_kit::workload::uppercase;
use serde::{Deserialize, Serialize};

/// A job, one line of JSON: `{"id":1,"text":"hello"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub text: String,
}

/// The worker's reply, one line of JSON: `{"id":1,"text":"HELLO","worker":4242}`.
/// `worker` is the process id of the worker that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub id: u64,
    pub text: String,
    pub worker: u32,
}

/// Starts `program worker`, sends it every job, and returns its replies in the
/// order of `jobs`. The worker has exited and been waited for when this returns.
pub fn run_batch(program: &Path, jobs: &[Job]) -> io::Result<Vec<Reply>> {
    let mut worker = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut to_worker = worker.stdin.take().expect("stdin was piped at spawn");
    let from_worker = worker.stdout.take().expect("stdout was piped at spawn");
    let replies = thread::scope(|scope| -> io::Result<Vec<Reply>> {
        // Writes on a second thread, but only borrows stdin: it stays open.
        let to = &mut to_worker;
        let sender = scope.spawn(move || -> io::Result<()> {
            for job in jobs {
                serde_json::to_writer(&mut *to, job)?;
                to.write_all(b"\n")?;
            }
            to.flush()
        });
        // Reads one reply per job, then stops: the worker's stdin is closed only after.
        let mut lines = BufReader::new(from_worker).lines();
        let mut replies = Vec::new();
        for _ in jobs {
            match lines.next() {
                Some(line) => replies.push(serde_json::from_str(&line?)?),
                None => break,
            }
        }
        sender.join().expect("the sender does not panic")?;
        Ok(replies)
    })?;
    drop(to_worker);
    let status = worker.wait()?;
    check(status, &replies, jobs)?;
    Ok(replies)
}

fn check(status: std::process::ExitStatus, replies: &[Reply], jobs: &[Job]) -> io::Result<()> {
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    if replies.len() != jobs.len() {
        return Err(io::Error::other(format!("{} replies for {} jobs", replies.len(), jobs.len())));
    }
    Ok(())
}

/// Worker mode, given: answers every job line on `input` with a reply line on
/// `output`, until `input` is closed.
pub fn serve(input: impl BufRead, output: impl Write) -> io::Result<()> {
    let mut output = BufWriter::new(output);
    let worker = std::process::id();
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?)?;
        let reply = Reply { id: job.id, text: uppercase(&job.text), worker };
        serde_json::to_writer(&mut output, &reply)?;
        output.write_all(b"\n")?;
    }
    // BufWriter sends its bytes when its buffer is full, and here at the end.
    output.flush()
}

fn demo() -> io::Result<()> {
    let program = std::env::current_exe()?;
    let jobs: Vec<Job> = ["pipes", "are", "queues", "of", "bytes"]
        .iter()
        .zip(1..)
        .map(|(text, id)| Job { id, text: text.to_string() })
        .collect();
    for reply in run_batch(&program, &jobs)? {
        println!("job {}: {} (worker {})", reply.id, reply.text, reply.worker);
    }
    let big: Vec<Job> = (0..5_000).map(|id| Job { id, text: "x".repeat(100) }).collect();
    let started = Instant::now();
    let replies = run_batch(&program, &big)?;
    println!("{} jobs of 100 bytes and back in {:?}", replies.len(), started.elapsed());
    Ok(())
}

fn main() -> ExitCode {
    let outcome = if std::env::args().nth(1).as_deref() == Some("worker") {
        serve(io::stdin().lock(), io::stdout().lock())
    } else {
        demo()
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pipe_queue: {error}");
            ExitCode::FAILURE
        }
    }
}
