// Correct alternative of ordered_results: the queue is a crossbeam channel of
// (position, job) pairs, filled and closed up front; each driving thread
// receives until it is empty, and the positions put the results back in order.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread;
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
/// returns one result per job, in the order of `jobs`. Every worker process has
/// exited and been waited for when this returns.
///
/// # Panics
///
/// If `workers` is zero.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    assert!(workers > 0, "a pool needs at least one worker");

    // Each job travels with its position in `jobs`, which says where its result goes.
    let (job_tx, job_rx) = crossbeam::channel::unbounded::<(usize, Job)>();
    for entry in jobs.iter().copied().enumerate() {
        job_tx.send(entry).expect("the receiver is alive");
    }
    drop(job_tx);
    let queue = job_rx;
    let answered = thread::scope(|scope| {
        let drivers: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| drive_worker(program, &queue)))
            .collect();
        let mut answered = Vec::with_capacity(jobs.len());
        for driver in drivers {
            let results = driver
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            answered.extend(results);
        }
        io::Result::Ok(answered)
    })?;

    let mut slots: Vec<Option<JobResult>> = vec![None; jobs.len()];
    for (position, result) in answered {
        slots[position] = Some(result);
    }
    slots
        .into_iter()
        .zip(jobs)
        .map(|(slot, job)| {
            slot.ok_or_else(|| io::Error::other(format!("job {} was never answered", job.id)))
        })
        .collect()
}

/// Starts one worker process, feeds it jobs from `queue` until the queue is
/// empty, then lets it exit and waits for it. Returns each result with the
/// position of its job.
fn drive_worker(
    program: &Path,
    queue: &crossbeam::channel::Receiver<(usize, Job)>,
) -> io::Result<Vec<(usize, JobResult)>> {
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
    queue: &crossbeam::channel::Receiver<(usize, Job)>,
) -> io::Result<Vec<(usize, JobResult)>> {
    let to_worker = worker.stdin.as_mut().expect("stdin was piped at spawn");
    let mut from_worker = BufReader::new(worker.stdout.as_mut().expect("stdout was piped at spawn"));
    let mut answered = Vec::new();
    let mut line = String::new();
    while let Ok((position, job)) = queue.recv() {
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
        answered.push((position, serde_json::from_str(&line)?));
    }
    Ok(answered)
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
