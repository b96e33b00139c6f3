// A worker that crashes
//
// Separate processes buy isolation: when a worker process crashes, its memory,
// its half-done work and whatever went wrong in it go away with it, and every
// other process carries on. The parent notices the crash on the pipes: the
// worker's stdout ends (a read returns end of file) before the answer came,
// and `wait` reports how it ended, here `exit status: 3`.
//
// This program is its own worker, as in process_pool, and it is flaky on
// purpose: `compute` makes the whole worker process exit with code 3, without
// answering, when it is given the number 13. Some inputs crash programs;
// that is the workload you are given, so leave `compute` as it is.
//
// Your task: `run_pool` runs the jobs on `workers` worker processes working
// at the same time and returns a `PoolReport`:
//   - `results`: one result for every job that was answered (in any order);
//   - `failed`: the id of every job whose worker died before answering it.
// A crash must not cost any other job its result: the jobs that worker had
// already answered, and the jobs still in the queue, all finish. The crashed
// worker is a child like any other: wait for it. Whether you start a new
// worker in its place or carry on with the others is up to you.
//
// `concur run worker_crash` runs the demo in `main`.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

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
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<PoolReport> {
    // TODO: a pool as in process_pool, that notices when a worker dies before
    // answering, reports that job as failed, waits for the dead worker, and
    // keeps the other results.
    todo!("run {} jobs on {workers} copies of {}", jobs.len(), program.display())
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
