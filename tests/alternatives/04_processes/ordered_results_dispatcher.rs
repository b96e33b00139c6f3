// Correct alternative of ordered_results: one dispatcher thread. A reader
// thread per worker forwards its answer lines, tagged with the worker's slot,
// into one mpsc channel; the dispatcher remembers which position of `jobs`
// each worker is on, hands the next job to whichever worker answers, and puts
// each answer into the slot of its position.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver};
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

struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The position in `jobs` of the job this worker is on.
    on: Option<usize>,
}

/// Runs every job on `workers` processes started as `program worker` and
/// returns one result per job, in the order of `jobs`.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    assert!(workers > 0, "a pool needs at least one worker");
    let (tx, rx) = mpsc::channel::<(usize, io::Result<String>)>();
    let mut pool: Vec<Worker> = Vec::new();
    let mut readers = Vec::new();
    let mut outcome = Ok(Vec::new());
    for slot in 0..workers {
        let spawned = Command::new(program).arg("worker").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                outcome = Err(e);
                break;
            }
        };
        let stdout = child.stdout.take().expect("stdout is piped");
        let tx = tx.clone();
        readers.push(thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if tx.send((slot, line)).is_err() {
                    break;
                }
            }
        }));
        let stdin = child.stdin.take();
        pool.push(Worker { child, stdin, on: None });
    }
    drop(tx);
    if outcome.is_ok() {
        outcome = dispatch(jobs, &mut pool, &rx);
    }
    for worker in &mut pool {
        worker.stdin = None;
        if outcome.is_err() {
            let _ = worker.child.kill();
        }
        let status = worker.child.wait()?;
        if outcome.is_ok() && !status.success() {
            outcome = Err(io::Error::other(format!("a worker failed: {status}")));
        }
    }
    drop(rx);
    for reader in readers {
        reader.join().expect("a reader panicked");
    }
    outcome
}

fn give(worker: &mut Worker, position: usize, job: &Job) -> io::Result<()> {
    let stdin = worker.stdin.as_mut().expect("a worker with work has its stdin");
    writeln!(stdin, "{}", serde_json::to_string(job)?)?;
    worker.on = Some(position);
    Ok(())
}

fn dispatch(
    jobs: &[Job],
    pool: &mut [Worker],
    answers: &Receiver<(usize, io::Result<String>)>,
) -> io::Result<Vec<JobResult>> {
    let mut next = 0;
    for worker in pool.iter_mut() {
        if next < jobs.len() {
            give(worker, next, &jobs[next])?;
            next += 1;
        } else {
            worker.stdin = None;
        }
    }
    let mut slots: Vec<Option<JobResult>> = vec![None; jobs.len()];
    let mut left = jobs.len();
    while left > 0 {
        let (slot, line) = answers
            .recv()
            .map_err(|_| io::Error::new(io::ErrorKind::UnexpectedEof, "the workers stopped answering"))?;
        let result: JobResult = serde_json::from_str(&line?)?;
        let worker = &mut pool[slot];
        let position = worker.on.take().expect("an answer comes for a job sent");
        slots[position] = Some(result);
        left -= 1;
        if next < jobs.len() {
            give(worker, next, &jobs[next])?;
            next += 1;
        } else {
            worker.stdin = None;
        }
    }
    Ok(slots.into_iter().map(|s| s.expect("every position answered")).collect())
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
