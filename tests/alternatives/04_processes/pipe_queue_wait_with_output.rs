// Correct alternative of pipe_queue: the pattern of the `std::process` docs.
// A thread owns the worker's stdin and writes every job line (`writeln!`
// straight into the pipe), closing it when it ends; meanwhile
// `wait_with_output` reads the worker's whole stdout and waits for it. The
// replies are then parsed line by line.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
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
/// order of `jobs`.
pub fn run_batch(program: &Path, jobs: &[Job]) -> io::Result<Vec<Reply>> {
    let lines = jobs
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<String>, _>>()?;
    let mut child = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = thread::spawn(move || -> io::Result<()> {
        for line in &lines {
            writeln!(stdin, "{line}")?;
        }
        Ok(())
        // `stdin` is dropped here: the worker sees end of file.
    });
    let output = child.wait_with_output()?;
    let written = writer.join().expect("the writing thread panicked");
    if !output.status.success() {
        return Err(io::Error::other(format!("the worker exited with {}", output.status)));
    }
    written?;
    let text = String::from_utf8(output.stdout)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let replies = text
        .lines()
        .map(|line| serde_json::from_str::<Reply>(line).map_err(io::Error::from))
        .collect::<io::Result<Vec<Reply>>>()?;
    if replies.len() != jobs.len() {
        return Err(io::Error::other(format!("{} replies for {} jobs", replies.len(), jobs.len())));
    }
    Ok(replies)
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
