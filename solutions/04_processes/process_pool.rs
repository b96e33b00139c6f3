// Process pool: worker processes fed over pipes with JSON lines.
//
// Reference solution. The program is its own worker: run with the argument
// `worker`, it answers jobs on stdin until stdin is closed. The parent starts
// `workers` copies of it and gives each one a thread that drives it: take the
// next job from the shared queue, write it to the worker's stdin, read the
// answer from its stdout, repeat. When the queue is empty the thread closes the
// worker's stdin, which tells the worker to exit, and waits for it.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Mutex, PoisonError};
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

/// Runs every job on `workers` processes started as `program worker` and
/// returns every result exactly once, in no particular order. Every worker
/// process has exited and been waited for when this returns.
///
/// # Panics
///
/// If `workers` is zero.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    assert!(workers > 0, "a pool needs at least one worker");

    let queue = Mutex::new(jobs.iter().copied());
    thread::scope(|scope| {
        let drivers: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| drive_worker(program, &queue)))
            .collect();
        let mut results = Vec::with_capacity(jobs.len());
        for driver in drivers {
            let answered = driver
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            results.extend(answered);
        }
        Ok(results)
    })
}

/// Starts one worker process, feeds it jobs from `queue` until the queue is
/// empty, then lets it exit and waits for it.
fn drive_worker(
    program: &Path,
    queue: &Mutex<impl Iterator<Item = Job>>,
) -> io::Result<Vec<JobResult>> {
    let mut worker = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;

    let answered = feed_worker(&mut worker, queue);
    if answered.is_err() {
        // The worker may be stuck; it must not outlive us. An error here only
        // means it has already exited, which is what we want.
        let _ = worker.kill();
    }
    // Closing its stdin (dropping our end) is the worker's signal to finish.
    drop(worker.stdin.take());
    let status = worker.wait()?;
    let answered = answered?;
    if !status.success() {
        return Err(io::Error::other(format!("a worker process failed: {status}")));
    }
    Ok(answered)
}

fn feed_worker(
    worker: &mut Child,
    queue: &Mutex<impl Iterator<Item = Job>>,
) -> io::Result<Vec<JobResult>> {
    let to_worker = worker.stdin.as_mut().expect("stdin was piped at spawn");
    let mut from_worker = BufReader::new(worker.stdout.as_mut().expect("stdout was piped at spawn"));
    let mut answered = Vec::new();
    let mut line = String::new();
    // The lock is held only while taking the next job, never while working.
    while let Some(job) = next_job(queue) {
        serde_json::to_writer(&mut *to_worker, &job)?;
        to_worker.write_all(b"\n")?;
        to_worker.flush()?;

        line.clear();
        if from_worker.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("a worker exited without answering job {}", job.id),
            ));
        }
        answered.push(serde_json::from_str(&line)?);
    }
    Ok(answered)
}

fn next_job(queue: &Mutex<impl Iterator<Item = Job>>) -> Option<Job> {
    // Taking a job cannot panic, so a poisoned lock still holds a sound queue.
    queue.lock().unwrap_or_else(PoisonError::into_inner).next()
}

/// Worker mode: answers every job line on `input` with a result line on
/// `output`, until `input` is closed.
pub fn serve_jobs(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?)?;
        let answer = JobResult { id: job.id, result: slow_square(job.n) };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        // The parent waits for this line before it sends the next job.
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
