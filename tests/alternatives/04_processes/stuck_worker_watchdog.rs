// Correct alternative of stuck_worker: a watchdog. The driving thread reads
// the answer with a plain blocking `read_line`; for every job a watchdog
// thread waits on a cancel channel with `recv_timeout` and, if the answer has
// not cancelled it in time, kills the worker (shared as `Arc<Mutex<Child>>`),
// which ends the blocked read with end of file. The job is then reported, the
// worker waited for and replaced. The queue is a `Mutex<VecDeque>`.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
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

struct Worker {
    child: Arc<Mutex<Child>>,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn start(program: &Path) -> io::Result<Worker> {
        let mut child = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        Ok(Worker { child: Arc::new(Mutex::new(child)), stdin, stdout })
    }

    /// Sends `job` and reads the answer; `Ok(None)` if the watchdog had to kill the worker.
    fn ask(&mut self, job: &Job, timeout: Duration) -> io::Result<(Option<JobResult>, bool)> {
        writeln!(self.stdin, "{}", serde_json::to_string(job)?)?;
        let (cancel, cancelled) = mpsc::channel::<()>();
        let child = Arc::clone(&self.child);
        let watchdog = thread::spawn(move || match cancelled.recv_timeout(timeout) {
            Err(RecvTimeoutError::Timeout) => {
                let _ = child.lock().unwrap().kill();
                true
            }
            _ => false,
        });
        let mut line = String::new();
        let read = self.stdout.read_line(&mut line);
        let _ = cancel.send(());
        let killed = watchdog.join().expect("the watchdog panicked");
        match read {
            Ok(0) if killed => Ok((None, true)),
            Ok(0) => Err(io::Error::new(io::ErrorKind::UnexpectedEof, format!("a worker died on job {}", job.id))),
            // An answer that came just as the watchdog fired still counts; the worker is gone.
            Ok(_) => Ok((Some(serde_json::from_str(&line)?), killed)),
            Err(e) => Err(e),
        }
    }

    fn kill_and_wait(self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }

    fn finish(self) -> io::Result<()> {
        drop(self.stdin);
        let status = self.child.lock().unwrap().wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("a worker failed: {status}")))
        }
    }
}

fn drive(program: &Path, queue: &Mutex<VecDeque<Job>>, timeout: Duration) -> io::Result<PoolReport> {
    let mut report = PoolReport::default();
    let mut worker = Worker::start(program)?;
    loop {
        let next = queue.lock().unwrap().pop_front();
        let Some(job) = next else { break };
        match worker.ask(&job, timeout) {
            Ok((answer, killed)) => {
                match answer {
                    Some(result) => report.results.push(result),
                    None => report.timed_out.push(job.id),
                }
                if killed {
                    worker.kill_and_wait();
                    worker = Worker::start(program)?;
                }
            }
            Err(e) => {
                worker.kill_and_wait();
                return Err(e);
            }
        }
    }
    worker.finish()?;
    Ok(report)
}

/// Runs every job on `workers` processes started as `program worker`; a job
/// not answered within `timeout` is reported in `timed_out`, its worker is
/// killed and replaced, and every other job finishes.
pub fn run_pool(
    program: &Path,
    jobs: &[Job],
    workers: usize,
    timeout: Duration,
) -> io::Result<PoolReport> {
    let queue = Mutex::new(jobs.iter().copied().collect::<VecDeque<Job>>());
    let reports: Vec<io::Result<PoolReport>> = thread::scope(|s| {
        let drivers: Vec<_> = (0..workers).map(|_| s.spawn(|| drive(program, &queue, timeout))).collect();
        drivers.into_iter().map(|d| d.join().expect("a driver panicked")).collect()
    });
    let mut report = PoolReport::default();
    for part in reports {
        let part = part?;
        report.results.extend(part.results);
        report.timed_out.extend(part.timed_out);
    }
    Ok(report)
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
