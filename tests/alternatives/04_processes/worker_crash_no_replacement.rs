// Correct alternative of worker_crash: a worker that dies is reaped and not
// replaced; its driving thread ends with what it collected, and the other
// workers finish the queue (the statement leaves this choice open).

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, ExitStatus, Stdio};
use std::sync::{Mutex, PoisonError};
use std::thread;

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

/// Runs every job on `workers` processes started as `program worker`; a job
/// whose worker crashes is reported in `failed`, and every other job finishes.
/// Every worker process, crashed or not, has been waited for when this returns.
///
/// # Panics
///
/// If `workers` is zero.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<PoolReport> {
    assert!(workers > 0, "a pool needs at least one worker");

    let queue = Mutex::new(jobs.iter().copied());
    thread::scope(|scope| {
        let drivers: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| drive_workers(program, &queue)))
            .collect();
        let mut report = PoolReport::default();
        for driver in drivers {
            let part = driver
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            report.results.extend(part.results);
            report.failed.extend(part.failed);
        }
        Ok(report)
    })
}

/// Feeds jobs from `queue` to one worker process until the queue is empty or the
/// worker dies; a dead worker is reaped and not replaced: the others carry on.
fn drive_workers(program: &Path, queue: &Mutex<impl Iterator<Item = Job>>) -> io::Result<PoolReport> {
    let mut report = PoolReport::default();
    let mut worker = Worker::start(program)?;
    while let Some(job) = next_job(queue) {
        match worker.ask(job) {
            Ok(Some(result)) => report.results.push(result),
            Ok(None) => {
                report.failed.push(job.id);
                // Exit status 3: expected, it crashed on this job.
                worker.finish()?;
                return Ok(report);
            }
            Err(error) => {
                worker.kill();
                return Err(error);
            }
        }
    }
    let status = worker.finish()?;
    if !status.success() {
        return Err(io::Error::other(format!("a worker process failed: {status}")));
    }
    Ok(report)
}

fn next_job(queue: &Mutex<impl Iterator<Item = Job>>) -> Option<Job> {
    // Taking a job cannot panic, so a poisoned lock still holds a sound queue.
    queue.lock().unwrap_or_else(PoisonError::into_inner).next()
}

/// One worker process and our ends of its pipes.
struct Worker {
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
}

impl Worker {
    fn start(program: &Path) -> io::Result<Worker> {
        let mut child = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to_worker = child.stdin.take().expect("stdin was piped at spawn");
        let from_worker = BufReader::new(child.stdout.take().expect("stdout was piped at spawn"));
        Ok(Worker { child, to_worker, from_worker })
    }

    /// Sends `job` and reads the answer; `None` if the worker died first.
    fn ask(&mut self, job: Job) -> io::Result<Option<JobResult>> {
        let mut line = serde_json::to_vec(&job)?;
        line.push(b'\n');
        match self.to_worker.write_all(&line).and_then(|()| self.to_worker.flush()) {
            Ok(()) => {}
            // Nobody reads the pipe any more: the worker has already died.
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => return Ok(None),
            Err(error) => return Err(error),
        }
        let mut answer = String::new();
        if self.from_worker.read_line(&mut answer)? == 0 {
            return Ok(None);
        }
        Ok(Some(serde_json::from_str(&answer)?))
    }

    /// Closes the worker's stdin, which asks it to exit, and waits for it.
    fn finish(self) -> io::Result<ExitStatus> {
        let Worker { mut child, to_worker, from_worker } = self;
        drop(to_worker);
        drop(from_worker);
        child.wait()
    }

    /// Ends a worker that may be stuck, and waits for it.
    fn kill(mut self) {
        // Errors mean it has already exited, which is what we want; the wait reaps it.
        let _ = self.child.kill();
        let _ = self.finish();
    }
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
