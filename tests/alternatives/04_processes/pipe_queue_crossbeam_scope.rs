// Correct alternative of pipe_queue: crossbeam's scoped threads, one writing
// the jobs and one reading the worker's stdout; the read lines come back to
// the calling thread over a crossbeam channel.

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
    let to_worker = worker.stdin.take().expect("stdin was piped at spawn");
    let from_worker = worker.stdout.take().expect("stdout was piped at spawn");
    // Lines read on a scoped thread travel through a crossbeam channel to this thread.
    let (line_tx, line_rx) = crossbeam::channel::unbounded::<io::Result<String>>();
    let outcome = crossbeam::scope(|scope| -> io::Result<Vec<Reply>> {
        scope.spawn(move |_| {
            for line in BufReader::new(from_worker).lines() {
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let sender = scope.spawn(move |_| send_jobs(to_worker, jobs));
        let replies = line_rx
            .iter()
            .map(|line| Ok(serde_json::from_str(&line?)?))
            .collect::<io::Result<Vec<Reply>>>();
        sender.join().expect("the sender does not panic")?;
        replies
    })
    .expect("no scoped thread panics");
    let status = worker.wait()?;
    let replies = outcome?;
    check(status, &replies, jobs)?;
    Ok(replies)
}

fn send_jobs(to_worker: ChildStdin, jobs: &[Job]) -> io::Result<()> {
    let mut to_worker = BufWriter::new(to_worker);
    for job in jobs {
        serde_json::to_writer(&mut to_worker, job)?;
        to_worker.write_all(b"\n")?;
    }
    to_worker.flush()
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
