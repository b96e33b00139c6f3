// Process pool
//
// Threads share one memory; processes do not. A process pool starts several
// copies of a worker program and talks to each one over pipes: the parent
// writes a message to the worker's standard input, the worker answers on its
// standard output. Because nothing is shared, every message is serialized; here
// every message is one line of JSON.
//
// This program is its own worker. Run with the argument `worker`, it serves jobs:
//
//   stdin : {"id":1,"n":7}        one job per line
//   stdout: {"id":1,"result":49}  one answer per line, flushed straight away
//
// and exits when its stdin is closed. Run without arguments, it starts a pool of
// copies of itself (`std::env::current_exe()`) and prints their results.
//
// Your task:
//   1. `serve_jobs`: the worker side. Compute each result with `slow_square`,
//      a workload given to you: it takes a while, like real work would.
//   2. `run_pool`: the parent side. Start `workers` processes, all working at
//      once, keep each of them busy until every job is done, and collect every
//      result exactly once (in any order).
//   3. Clean up. Before `run_pool` returns, every worker must have exited and
//      been waited for: a child that is never waited for lingers as a "zombie".
//
// Use `std::process::Command` with `Stdio::piped()`; serde_json reads and
// writes the messages. `concur run process_pool` runs the demo in `main`.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
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

/// Runs every job on `workers` processes started as `program worker` and
/// returns every result exactly once, in no particular order.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    // TODO: start the workers, feed them the jobs, collect their answers,
    // and wait for every worker before returning.
    todo!("run {} jobs on {workers} copies of {}", jobs.len(), program.display())
}

/// Worker mode: answers every job line on `input` with a result line on
/// `output`, until `input` is closed.
pub fn serve_jobs(input: impl BufRead, output: impl Write) -> io::Result<()> {
    // TODO: for each line, parse a `Job`, compute `slow_square(job.n)`, and
    // write a `JobResult` line. The parent is waiting for it: flush.
    todo!("serve jobs")
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
