// Correct alternative of pipe_queue: a `std::thread::spawn` thread owns the
// worker's stdout and reads the replies, while the calling thread writes the
// jobs (unbuffered, one `write_all` per line) and then closes stdin.

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
    // A plain thread owns the worker's stdout and reads every reply until end of file.
    let reader = thread::spawn(move || -> io::Result<Vec<Reply>> {
        let mut replies = Vec::new();
        for line in BufReader::new(from_worker).lines() {
            replies.push(serde_json::from_str(&line?)?);
        }
        Ok(replies)
    });
    // This thread writes, one line per job, then closes stdin.
    let mut sent = Ok(());
    for job in jobs {
        let mut line = serde_json::to_vec(job)?;
        line.push(b'\n');
        if let Err(error) = to_worker.write_all(&line) {
            sent = Err(error);
            break;
        }
    }
    drop(to_worker);
    let replies = reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let status = worker.wait()?;
    let replies = replies?;
    sent?;
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
