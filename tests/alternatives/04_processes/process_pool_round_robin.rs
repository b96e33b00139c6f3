// Correct alternative of process_pool: the jobs are dealt out round-robin
// before anything starts (job i to worker i % workers). Every worker gets all
// of its jobs at once on its stdin, which is then closed; the parent collects
// each worker's answers with `wait_with_output`, which also waits for it. All
// workers are started before any is waited for, so they work at once.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
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

/// Runs every job on `workers` processes started as `program worker` and
/// returns every result exactly once, in no particular order.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    assert!(workers > 0, "a pool needs at least one worker");
    let mut shares: Vec<Vec<Job>> = vec![Vec::new(); workers];
    for (i, job) in jobs.iter().enumerate() {
        shares[i % workers].push(*job);
    }
    let mut children: Vec<Child> = Vec::new();
    let mut failure = None;
    for share in &shares {
        let started = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match started {
            Ok(child) => child,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        // A handful of short lines: they fit in the pipe, so this cannot block.
        let mut stdin = child.stdin.take().expect("stdin is piped");
        for job in share {
            if let Err(e) = writeln!(stdin, "{}", serde_json::to_string(job)?) {
                failure.get_or_insert(e);
            }
        }
        drop(stdin);
        children.push(child);
    }
    let mut results = Vec::with_capacity(jobs.len());
    for child in children {
        match child.wait_with_output() {
            Ok(output) if output.status.success() => {
                for line in String::from_utf8_lossy(&output.stdout).lines() {
                    results.push(serde_json::from_str::<JobResult>(line)?);
                }
            }
            Ok(output) => {
                failure.get_or_insert(io::Error::other(format!("a worker failed: {}", output.status)));
            }
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if results.len() != jobs.len() {
        return Err(io::Error::other(format!("{} results for {} jobs", results.len(), jobs.len())));
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
