// A stuck worker
//
// A crashed worker at least tells you it is gone: its pipe closes. A stuck
// worker tells you nothing. It is alive, it holds its job, and a parent that
// simply reads its stdout waits for ever. The only defence is a deadline: wait
// for each answer at most so long, and past that, give up on the job and kill
// the worker. That too is what processes buy you: a thread stuck in a loop
// cannot be stopped from outside, a process can (`Child::kill`).
//
// A blocking read has no timeout of its own. But a thread can do the blocking
// read and pass each line it reads on through a channel, and a channel has
// `recv_timeout`.
//
// This program is its own worker, as in process_pool, and it misbehaves on
// purpose: `compute` never finishes when it is given the number 7. That is the
// workload you are given, so leave `compute` as it is.
//
// Your task: `run_pool` runs the jobs on `workers` worker processes working
// at the same time and returns a `PoolReport`:
//   - `results`: one result for every job answered in time (in any order);
//   - `timed_out`: the id of every job not answered within `timeout`.
// A stuck worker is killed, waited for, and replaced by a new one, so the pool
// keeps its `workers` processes until the queue is empty. When `run_pool`
// returns, no worker may be left running.
//
// `concur run stuck_worker` runs the demo in `main`.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
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
/// killed and replaced, and every other job finishes.
pub fn run_pool(
    program: &Path,
    jobs: &[Job],
    workers: usize,
    timeout: Duration,
) -> io::Result<PoolReport> {
    // TODO: a pool as in process_pool, that waits at most `timeout` for each
    // answer; past that, it kills the worker, waits for it, reports the job,
    // and starts a new worker to go on with the queue.
    todo!("run {} jobs on {workers} copies of {} with a {timeout:?} timeout", jobs.len(), program.display())
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
