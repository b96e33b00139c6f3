// A message queue over pipes
//
// A pipe is a queue of bytes between two processes: one end writes, the other
// reads, in order. Start a child with `Stdio::piped()` for its stdin and stdout
// and you hold one end of two such queues: `child.stdin` to send it messages,
// `child.stdout` to receive its answers. Bytes are not messages, so we agree on
// a format: JSON lines, one JSON object per line.
//
// A pipe is a *bounded* queue: the operating system keeps only a small buffer
// (often 64 KiB). A writer whose pipe is full waits until the reader takes
// something out. Keep that in mind when both sides write a lot.
//
// This program is its own worker. Run as `pipe_queue worker`, it reads jobs on
// stdin and works on each one as soon as it has read it:
//
//   stdin : {"id":1,"text":"hello"}                 one job per line
//   stdout: {"id":1,"text":"HELLO","worker":4242}   one reply per line
//
// and exits when its stdin is closed. That part is written for you, in `serve`.
// Its replies go through a `BufWriter`: they reach its stdout in blocks of
// 8 KiB as the buffer fills, and the last ones only when its stdin is closed.
//
// Your task: `run_batch` starts one worker, sends it every job, and returns
// every reply, in the order of the jobs (the worker answers in order). It must
// work for a handful of jobs and for a batch of hundreds of kilobytes, and the
// worker must have exited and been waited for when it returns.
//
// `concur run pipe_queue` runs the demo in `main`.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
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
/// order of `jobs`.
pub fn run_batch(program: &Path, jobs: &[Job]) -> io::Result<Vec<Reply>> {
    // TODO: start the worker with piped stdin and stdout, send the jobs as
    // JSON lines, read the replies, close its stdin, and wait for it.
    todo!("send {} jobs to {}", jobs.len(), program.display())
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
