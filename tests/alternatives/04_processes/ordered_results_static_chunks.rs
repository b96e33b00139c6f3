// Correct alternative of ordered_results: `jobs` is cut into `workers`
// contiguous chunks (`chunks(len.div_ceil(workers))`), each worker gets its
// whole chunk on stdin at once, and `wait_with_output` collects its answers.
// A worker answers in the order it was given, so the chunks' answers,
// concatenated in chunk order, are in the order of `jobs`.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;
use serde::{Deserialize, Serialize};

/// One job, one line of JSON: `{"id":42,"n":7,"millis":300}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub n: u64,
    /// How long the job takes, in milliseconds.
    pub millis: u64,
}

/// A worker's answer to one job, one line of JSON: `{"id":42,"result":49}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResult {
    pub id: u64,
    pub result: u64,
}

/// Runs every job on `workers` processes started as `program worker` and
/// returns one result per job, in the order of `jobs`.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    assert!(workers > 0, "a pool needs at least one worker");
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let size = jobs.len().div_ceil(workers);
    let mut running: Vec<(&[Job], Child)> = Vec::new();
    let mut failure: Option<io::Error> = None;
    for chunk in jobs.chunks(size) {
        let spawned = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        // A few short lines fit in the pipe; dropping stdin tells the worker to finish.
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let mut text = String::new();
        for job in chunk {
            text.push_str(&serde_json::to_string(job)?);
            text.push('\n');
        }
        if let Err(e) = stdin.write_all(text.as_bytes()) {
            failure.get_or_insert(e);
        }
        drop(stdin);
        running.push((chunk, child));
    }
    let mut results = Vec::with_capacity(jobs.len());
    for (chunk, child) in running {
        let output = match child.wait_with_output() {
            Ok(output) => output,
            Err(e) => {
                failure.get_or_insert(e);
                continue;
            }
        };
        let answers: Vec<JobResult> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()?;
        if !output.status.success() || answers.len() != chunk.len() {
            failure.get_or_insert(io::Error::other(format!(
                "a worker answered {} of {} jobs and exited with {}",
                answers.len(),
                chunk.len(),
                output.status
            )));
            continue;
        }
        for (job, answer) in chunk.iter().zip(&answers) {
            if job.id != answer.id {
                failure.get_or_insert(io::Error::other(format!("job {} got the answer of job {}", job.id, answer.id)));
            }
        }
        results.extend(answers);
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(results),
    }
}

/// The work itself, given: squares `job.n`, taking `job.millis` milliseconds.
fn do_job(job: &Job) -> u64 {
    simulate(&format!("job {}", job.id), Duration::from_millis(job.millis));
    job.n * job.n
}

/// Worker mode, given: answers every job line on `input` with a result line
/// on `output`, until `input` is closed.
pub fn serve_jobs(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?)?;
        let answer = JobResult { id: job.id, result: do_job(&job) };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

fn demo() -> io::Result<()> {
    let program = std::env::current_exe()?;
    let jobs = [(42, 400), (7, 100), (19, 300), (3, 100), (88, 200), (25, 100)]
        .map(|(id, millis)| Job { id, n: id, millis });
    let started = Instant::now();
    let results = run_pool(&program, &jobs, 3)?;
    for (job, result) in jobs.iter().zip(&results) {
        println!("job {:>2} ({:>3} ms) -> result for job {:>2}: {}", job.id, job.millis, result.id, result.result);
    }
    println!("{} jobs on 3 worker processes took {:?}", jobs.len(), started.elapsed());
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
            eprintln!("ordered_results: {error}");
            ExitCode::FAILURE
        }
    }
}
