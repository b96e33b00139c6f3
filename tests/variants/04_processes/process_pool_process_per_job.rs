// expect-fail: workers_are_separate_processes
// expect-fail: workers_run_at_the_same_time
//
// Wrong variant of process_pool: it ignores `workers` and starts one worker
// process per job, all at once, each answering a single job. The results are
// right and every process is waited for, but there is no upper bound on the
// processes: only the checks that count them and their overlap catch it.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
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

pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    let _ = workers;
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|&job| {
                scope.spawn(move || -> io::Result<JobResult> {
                    let (mut child, mut to, mut from) = start(program)?;
                    let result = ask(&mut to, &mut from, job)?;
                    drop(to);
                    child.wait()?;
                    Ok(result)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("no panic")).collect()
    })
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
