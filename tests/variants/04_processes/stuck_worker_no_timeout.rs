// expect-fail: every_other_job_has_its_result
// expect-fail: the_stuck_job_is_reported_as_timed_out
// expect-fail: the_stuck_worker_is_replaced
// expect-fail: no_worker_is_left_behind
// expect-fail: the_stuck_job_holds_a_worker
// expect-fail: workers_run_at_the_same_time
//
// Wrong variant of stuck_worker: it waits for every answer without a timeout,
// so the driver that sent the stuck job waits for ever and run_pool never
// returns. Every check runs run_pool, so every check fails, each with the
// deadline message.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitCode, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

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

/// What a pool run produced: the answers, and the jobs that took too long.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolReport {
    pub results: Vec<JobResult>,
    /// Ids of the jobs that were not answered within the timeout.
    pub timed_out: Vec<u64>,
}

/// Runs every job on `workers` processes started as `program worker`; a job
/// not answered within `timeout` is reported in `timed_out`, its worker is
/// killed and replaced, and every other job finishes. No worker process is
/// left when this returns.
///
/// # Panics
///
/// If `workers` is zero.
pub fn run_pool(
    program: &Path,
    jobs: &[Job],
    workers: usize,
    timeout: Duration,
) -> io::Result<PoolReport> {
    assert!(workers > 0, "a pool needs at least one worker");

    let queue = Mutex::new(jobs.iter().copied());
    thread::scope(|scope| {
        let drivers: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| drive_workers(program, &queue, timeout)))
            .collect();
        let mut report = PoolReport::default();
        for driver in drivers {
            let part = driver
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            report.results.extend(part.results);
            report.timed_out.extend(part.timed_out);
        }
        Ok(report)
    })
}

/// Feeds jobs from `queue` to a worker process until the queue is empty,
/// replacing the worker whenever it gets stuck.
fn drive_workers(
    program: &Path,
    queue: &Mutex<impl Iterator<Item = Job>>,
    timeout: Duration,
) -> io::Result<PoolReport> {
    let mut report = PoolReport::default();
    let mut worker = Worker::start(program)?;
    while let Some(job) = next_job(queue) {
        match worker.ask(job, timeout) {
            Ok(Some(result)) => report.results.push(result),
            Ok(None) => {
                report.timed_out.push(job.id);
                worker.kill();
                worker = Worker::start(program)?;
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

/// One worker process, our end of its stdin, and the thread reading its stdout.
struct Worker {
    child: Child,
    to_worker: ChildStdin,
    answers: Receiver<io::Result<String>>,
    reader: JoinHandle<()>,
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
        let (answer_tx, answers) = mpsc::channel();
        // Reads until end of file, which comes when the worker exits or is killed.
        let reader = thread::spawn(move || {
            for line in from_worker.lines() {
                if answer_tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker { child, to_worker, answers, reader })
    }

    /// Sends `job` and waits at most `timeout` for the answer; `None` if none came in time.
    fn ask(&mut self, job: Job, timeout: Duration) -> io::Result<Option<JobResult>> {
        let mut line = serde_json::to_vec(&job)?;
        line.push(b'\n');
        self.to_worker.write_all(&line)?;
        self.to_worker.flush()?;
        // Wrong on purpose: waits for the answer however long it takes.
        let _ = timeout;
        match self.answers.recv().map_err(|_| RecvTimeoutError::Disconnected) {
            Ok(answer) => Ok(Some(serde_json::from_str(&answer?)?)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("a worker exited without answering job {}", job.id),
            )),
        }
    }

    /// Closes the worker's stdin, which asks it to exit, and waits for it.
    fn finish(self) -> io::Result<ExitStatus> {
        let Worker { mut child, to_worker, answers, reader } = self;
        drop(to_worker);
        let status = child.wait();
        // Its stdout is closed now, so the reading thread has stopped or is about to.
        drop(answers);
        reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        status
    }

    /// Ends a worker that may be stuck, and waits for it.
    fn kill(mut self) {
        // Errors mean it has already exited, which is what we want; the wait reaps it.
        let _ = self.child.kill();
        let _ = self.finish();
    }
}

/// The work itself, given: squares `n`, and never finishes on 7.
fn compute(n: u64) -> u64 {
    if n == 7 {
        eprintln!("worker {}: stuck on 7", std::process::id());
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
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
    let jobs: Vec<Job> = (4..=12).map(|n| Job { id: n - 3, n }).collect();
    let mut report = run_pool(&program, &jobs, 3, Duration::from_millis(500))?;
    report.results.sort_by_key(|result| result.id);
    for result in &report.results {
        println!("job {}: {}", result.id, result.result);
    }
    println!("timed out: {:?}", report.timed_out);
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
            eprintln!("stuck_worker: {error}");
            ExitCode::FAILURE
        }
    }
}
