// Correct alternative of worker_crash: one dispatcher thread keeps the live
// workers in a `HashMap` keyed by a number given to each worker it starts. A
// reader thread per worker forwards its answer lines, and `None` at end of
// file, into one mpsc channel. An end of file while the worker was on a job
// is a crash: the job is reported failed, the dead worker is waited for, and a
// new worker takes its place while jobs are left in the queue.

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};

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

/// What a pool run produced: the answers, and the jobs whose worker crashed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolReport {
    pub results: Vec<JobResult>,
    /// Ids of the jobs whose worker exited before answering them.
    pub failed: Vec<u64>,
}

struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    job: Option<Job>,
}

type Line = (usize, Option<io::Result<String>>);

fn start(
    program: &Path,
    key: usize,
    tx: &Sender<Line>,
    readers: &mut Vec<JoinHandle<()>>,
) -> io::Result<Worker> {
    let mut child = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let tx = tx.clone();
    readers.push(thread::spawn(move || {
        for line in stdout.lines() {
            if tx.send((key, Some(line))).is_err() {
                return;
            }
        }
        let _ = tx.send((key, None));
    }));
    let stdin = child.stdin.take();
    Ok(Worker { child, stdin, job: None })
}

/// Gives `worker` the next job, or closes its stdin when there is none.
fn feed(worker: &mut Worker, queue: &mut VecDeque<Job>) -> io::Result<()> {
    match queue.pop_front() {
        Some(job) => {
            let stdin = worker.stdin.as_mut().expect("open while it gets jobs");
            writeln!(stdin, "{}", serde_json::to_string(&job)?)?;
            worker.job = Some(job);
        }
        None => worker.stdin = None,
    }
    Ok(())
}

/// Runs every job on `workers` processes started as `program worker`; a job
/// whose worker crashes is reported in `failed`, and every other job finishes.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<PoolReport> {
    assert!(workers > 0, "a pool needs at least one worker");
    let (tx, rx) = mpsc::channel::<Line>();
    let mut readers = Vec::new();
    let mut live: HashMap<usize, Worker> = HashMap::new();
    let mut queue: VecDeque<Job> = jobs.iter().copied().collect();
    let mut next_key = 0;
    let mut outcome = Ok(PoolReport::default());
    for _ in 0..workers {
        match start(program, next_key, &tx, &mut readers) {
            Ok(worker) => {
                live.insert(next_key, worker);
                next_key += 1;
            }
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    if let Ok(report) = &mut outcome {
        if let Err(e) = dispatch(program, &mut live, &mut queue, &mut next_key, &tx, &rx, &mut readers, report) {
            outcome = Err(e);
        }
    }
    // Whatever is still live (only after an error): stop it and reap it.
    for (_, mut worker) in live.drain() {
        worker.stdin = None;
        let _ = worker.child.kill();
        let _ = worker.child.wait();
    }
    drop(tx);
    drop(rx);
    for reader in readers {
        reader.join().expect("a reader panicked");
    }
    outcome
}

#[allow(clippy::too_many_arguments)]
fn dispatch(
    program: &Path,
    live: &mut HashMap<usize, Worker>,
    queue: &mut VecDeque<Job>,
    next_key: &mut usize,
    tx: &Sender<Line>,
    rx: &Receiver<Line>,
    readers: &mut Vec<JoinHandle<()>>,
    report: &mut PoolReport,
) -> io::Result<()> {
    for worker in live.values_mut() {
        feed(worker, queue)?;
    }
    while !live.is_empty() {
        let (key, line) = rx.recv().expect("this thread holds a sender");
        match line {
            Some(line) => {
                let result: JobResult = serde_json::from_str(&line?)?;
                report.results.push(result);
                let worker = live.get_mut(&key).expect("answers come from live workers");
                worker.job = None;
                feed(worker, queue)?;
            }
            None => {
                // End of file: the worker has exited, normally or not. Reap it.
                let mut worker = live.remove(&key).expect("each worker ends once");
                worker.stdin = None;
                let status = worker.child.wait()?;
                if let Some(job) = worker.job {
                    report.failed.push(job.id);
                    if !queue.is_empty() {
                        let mut new = start(program, *next_key, tx, readers)?;
                        feed(&mut new, queue)?;
                        live.insert(*next_key, new);
                        *next_key += 1;
                    }
                } else if !status.success() {
                    return Err(io::Error::other(format!("a worker failed: {status}")));
                }
            }
        }
    }
    Ok(())
}

/// The work itself, given: squares `n`, and crashes the whole worker on 13.
fn compute(n: u64) -> u64 {
    if n == 13 {
        eprintln!("worker {}: 13 is unlucky, crashing", std::process::id());
        std::process::exit(3);
    }
    slow_square(n)
}

/// Worker mode, given: answers every job line on `input` with a result line
/// on `output`, until `input` is closed.
pub fn serve_jobs(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?)?;
        let answer = JobResult { id: job.id, result: compute(job.n) };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

fn demo() -> io::Result<()> {
    let program = std::env::current_exe()?;
    let jobs: Vec<Job> = (10..=17).map(|n| Job { id: n - 9, n }).collect();
    let mut report = run_pool(&program, &jobs, 3)?;
    report.results.sort_by_key(|result| result.id);
    for result in &report.results {
        println!("job {}: {}", result.id, result.result);
    }
    println!("failed jobs: {:?}", report.failed);
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
            eprintln!("worker_crash: {error}");
            ExitCode::FAILURE
        }
    }
}
