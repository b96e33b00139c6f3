// Correct alternative of process_pool: one dispatcher. A reader thread per
// worker forwards every answer line, tagged with the worker's slot, into one
// mpsc channel; the calling thread gives every worker a first job, and each
// time an answer comes it sends that worker the next job from the queue, or
// closes its stdin when the queue is empty. Then it waits for every worker.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use concur_kit::workload::slow_square;
use serde::{Deserialize, Serialize};

/// One unit of work, sent to a worker as one line of JSON: `{"id":1,"n":7}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub n: u64,
}

/// A worker's answer to one job, one line of JSON: `{"id":1,"result":49}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResult {
    pub id: u64,
    pub result: u64,
}

fn send(stdin: &mut ChildStdin, job: &Job) -> io::Result<()> {
    let mut line = serde_json::to_vec(job)?;
    line.push(b'\n');
    stdin.write_all(&line)
}

/// Runs every job on `workers` processes started as `program worker` and
/// returns every result exactly once, in no particular order.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    assert!(workers > 0, "a pool needs at least one worker");
    let (lines_tx, lines) = mpsc::channel::<(usize, io::Result<String>)>();
    let mut children: Vec<Child> = Vec::new();
    let mut stdins: Vec<Option<ChildStdin>> = Vec::new();
    let mut readers = Vec::new();
    let mut outcome = Ok(Vec::new());
    for slot in 0..workers {
        match Command::new(program).arg("worker").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn() {
            Ok(mut child) => {
                stdins.push(child.stdin.take());
                let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
                let tx = lines_tx.clone();
                readers.push(thread::spawn(move || {
                    for line in stdout.lines() {
                        if tx.send((slot, line)).is_err() {
                            break;
                        }
                    }
                }));
                children.push(child);
            }
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    drop(lines_tx);
    if outcome.is_ok() {
        outcome = dispatch(jobs, &mut stdins, &lines);
    }
    // Closing every stdin lets each worker end; kill them if something failed.
    stdins.clear();
    for child in &mut children {
        if outcome.is_err() {
            let _ = child.kill();
        }
        let status = child.wait()?;
        if outcome.is_ok() && !status.success() {
            outcome = Err(io::Error::other(format!("a worker failed: {status}")));
        }
    }
    drop(lines);
    for reader in readers {
        reader.join().expect("a reader thread panicked");
    }
    outcome
}

fn dispatch(
    jobs: &[Job],
    stdins: &mut [Option<ChildStdin>],
    lines: &mpsc::Receiver<(usize, io::Result<String>)>,
) -> io::Result<Vec<JobResult>> {
    let mut queue = jobs.iter();
    let mut busy = 0;
    for stdin in stdins.iter_mut() {
        match queue.next() {
            Some(job) => {
                send(stdin.as_mut().expect("open"), job)?;
                busy += 1;
            }
            None => *stdin = None,
        }
    }
    let mut results = Vec::with_capacity(jobs.len());
    while busy > 0 {
        let Ok((slot, line)) = lines.recv() else {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "every worker stopped answering"));
        };
        results.push(serde_json::from_str::<JobResult>(&line?)?);
        busy -= 1;
        match queue.next() {
            Some(job) => {
                send(stdins[slot].as_mut().expect("open while it has work"), job)?;
                busy += 1;
            }
            None => stdins[slot] = None,
        }
    }
    Ok(results)
}

/// Worker mode: answers every job line on `input` with a result line on
/// `output`, until `input` is closed.
pub fn serve_jobs(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?)?;
        let answer = JobResult { id: job.id, result: slow_square(job.n) };
        writeln!(output, "{}", serde_json::to_string(&answer)?)?;
        output.flush()?;
    }
    Ok(())
}

fn demo() -> io::Result<()> {
    let program = std::env::current_exe()?;
    let jobs: Vec<Job> = (1..=8).map(|n| Job { id: n, n }).collect();
    let started = Instant::now();
    let mut results = run_pool(&program, &jobs, 4)?;
    results.sort_by_key(|result| result.id);
    for result in &results {
        println!("job {}: {}", result.id, result.result);
    }
    println!("{} jobs on 4 worker processes took {:?}", jobs.len(), started.elapsed());
    Ok(())
}

fn main() -> ExitCode {
    let outcome = if std::env::args().nth(1).as_deref() == Some("worker") {
        serve_jobs(io::stdin().lock(), io::stdout().lock())
    } else {
        demo()
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("process_pool: {error}");
            ExitCode::FAILURE
        }
    }
}
