// Correct alternative of stuck_worker: the queue is a `Mutex<Vec<Job>>` used
// as a stack (`pop` takes the last job first: the statement asks for no
// order). A reader thread per worker passes its lines on through a crossbeam
// channel, and each answer is awaited with `select!` against an
// `after(timeout)` timer; past it the worker is killed, waited for, and
// replaced.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use concur_kit::workload::slow_square;
use crossbeam::channel::{after, select, unbounded, Receiver};
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
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<io::Result<String>>,
    reader: JoinHandle<()>,
}

fn start(program: &Path) -> io::Result<Worker> {
    let mut child = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let (tx, lines) = unbounded();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Ok(Worker { child, stdin, lines, reader })
}

fn stop(mut worker: Worker, kill: bool) -> io::Result<std::process::ExitStatus> {
    if kill {
        let _ = worker.child.kill();
    }
    drop(worker.stdin);
    let status = worker.child.wait()?;
    drop(worker.lines);
    let _ = worker.reader.join();
    Ok(status)
}

fn drive(program: &Path, stack: &Mutex<Vec<Job>>, timeout: Duration) -> io::Result<PoolReport> {
    let mut report = PoolReport::default();
    let mut worker = start(program)?;
    loop {
        let next = stack.lock().unwrap().pop();
        let Some(job) = next else { break };
        writeln!(worker.stdin, "{}", serde_json::to_string(&job)?)?;
        select! {
            recv(worker.lines) -> line => match line {
                Ok(line) => report.results.push(serde_json::from_str(&line?)?),
                Err(_) => {
                    stop(worker, true)?;
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a worker died"));
                }
            },
            recv(after(timeout)) -> _ => {
                report.timed_out.push(job.id);
                stop(worker, true)?;
                worker = start(program)?;
            }
        }
    }
    let status = stop(worker, false)?;
    if !status.success() {
        return Err(io::Error::other(format!("a worker failed: {status}")));
    }
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
    let stack = Mutex::new(jobs.to_vec());
    thread::scope(|s| {
        let drivers: Vec<_> = (0..workers).map(|_| s.spawn(|| drive(program, &stack, timeout))).collect();
        let mut report = PoolReport::default();
        for driver in drivers {
            let part = driver.join().expect("a driver panicked")?;
            report.results.extend(part.results);
            report.timed_out.extend(part.timed_out);
        }
        Ok(report)
    })
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
