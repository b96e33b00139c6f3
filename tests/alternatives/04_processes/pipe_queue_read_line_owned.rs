// Correct alternative of pipe_queue: a plain `thread::spawn` writer that owns
// a copy of the jobs and writes one `write_all` per line, unbuffered; the
// calling thread reads the replies with a `read_line` loop on a `BufReader`
// until end of file, then joins the writer and waits for the worker.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
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
    let mut child = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let owned = jobs.to_vec();
    let writer = thread::spawn(move || -> io::Result<()> {
        for job in owned {
            let mut line = serde_json::to_string(&job)?;
            line.push('\n');
            stdin.write_all(line.as_bytes())?;
        }
        Ok(())
    });
    let mut replies = Vec::with_capacity(jobs.len());
    let mut line = String::new();
    let read = loop {
        line.clear();
        match stdout.read_line(&mut line) {
            Ok(0) => break Ok(()),
            Ok(_) => match serde_json::from_str::<Reply>(line.trim_end()) {
                Ok(reply) => replies.push(reply),
                Err(e) => break Err(io::Error::from(e)),
            },
            Err(e) => break Err(e),
        }
    };
    drop(stdout);
    let written = writer.join().expect("the writer panicked");
    let status = child.wait()?;
    read?;
    written?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker exited with {status}")));
    }
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
