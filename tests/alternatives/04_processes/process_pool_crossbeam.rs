// Correct alternative of process_pool: the shared queue is a crossbeam channel
// filled with every job and then closed; each worker process has a scoped
// thread that receives the next job, sends it and reads the answer, and sends
// the result on a second channel that the parent collects.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::time::Instant;

use concur_kit::workload::slow_square;
use serde::{Deserialize, Serialize};

use crossbeam::channel;

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

pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    let (job_tx, job_rx) = channel::unbounded::<Job>();
    for &job in jobs {
        job_tx.send(job).expect("the receiver is alive");
    }
    drop(job_tx);
    let (result_tx, result_rx) = channel::unbounded::<JobResult>();
    std::thread::scope(|scope| -> io::Result<()> {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (job_rx, result_tx) = (job_rx.clone(), result_tx.clone());
                scope.spawn(move || -> io::Result<()> {
                    let (mut child, mut to, mut from) = start(program)?;
                    for job in job_rx.iter() {
                        result_tx.send(ask(&mut to, &mut from, job)?).expect("collector alive");
                    }
                    drop(to);
                    child.wait()?;
                    Ok(())
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        Ok(())
    })?;
    drop(result_tx);
    Ok(result_rx.iter().collect())
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

fn ask(to: &mut ChildStdin, from: &mut BufReader<ChildStdout>, job: Job) -> io::Result<JobResult> {
    serde_json::to_writer(&mut *to, &job)?;
    to.write_all(b"\n")?;
    to.flush()?;
    let mut line = String::new();
    from.read_line(&mut line)?;
    Ok(serde_json::from_str(&line)?)
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
