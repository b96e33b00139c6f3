// Correct alternative of worker_crash: the queue is a `Mutex<Vec<Job>>` used
// as a stack (`pop` takes the last job first: the statement asks for no
// order). Each driving scoped thread owns one worker; a `read_line` that
// returns 0 bytes before the answer means the worker died: the job is
// reported failed, the dead worker is waited for, and a new worker is started
// if jobs are left.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::Mutex;
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

fn start(program: &Path) -> io::Result<(Child, ChildStdin, BufReader<ChildStdout>)> {
    let mut child = Command::new(program)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdin = child.stdin.take().expect("piped");
    let stdout = BufReader::new(child.stdout.take().expect("piped"));
    Ok((child, stdin, stdout))
}

fn drive(program: &Path, stack: &Mutex<Vec<Job>>) -> io::Result<PoolReport> {
    let mut report = PoolReport::default();
    let (mut child, mut stdin, mut stdout) = start(program)?;
    let mut line = String::new();
    loop {
        let next = stack.lock().unwrap().pop();
        let Some(job) = next else { break };
        let mut request = serde_json::to_string(&job)?;
        request.push('\n');
        // A write to a worker that just died fails; its read below then sees end of file.
        let _ = stdin.write_all(request.as_bytes());
        line.clear();
        if stdout.read_line(&mut line)? == 0 {
            report.failed.push(job.id);
            drop(stdin);
            child.wait()?;
            if stack.lock().unwrap().is_empty() {
                return Ok(report);
            }
            (child, stdin, stdout) = start(program)?;
            continue;
        }
        report.results.push(serde_json::from_str(&line)?);
    }
    drop(stdin);
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("a worker failed: {status}")));
    }
    Ok(report)
}

/// Runs every job on `workers` processes started as `program worker`; a job
/// whose worker crashes is reported in `failed`, and every other job finishes.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<PoolReport> {
    let stack = Mutex::new(jobs.to_vec());
    thread::scope(|s| {
        let drivers: Vec<_> = (0..workers).map(|_| s.spawn(|| drive(program, &stack))).collect();
        let mut report = PoolReport::default();
        for driver in drivers {
            let part = driver.join().expect("a driver panicked")?;
            report.results.extend(part.results);
            report.failed.extend(part.failed);
        }
        Ok(report)
    })
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
