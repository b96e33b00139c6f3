// Results in order
//
// A pool finishes jobs in whatever order they happen to end: a short job
// started late overtakes a long one started early. Often the caller wants the
// answers in the order of the questions anyway, like a `map` that happens to
// run on several processes. The work may finish out of order; the results may
// not come back out of order.
//
// This program is its own worker, as in process_pool. Run with the argument
// `worker`, it serves jobs over stdin and stdout, one JSON line each way:
//
//   stdin : {"id":42,"n":7,"millis":300}   square 7, taking 300 ms
//   stdout: {"id":42,"result":49}
//
// That part is written for you, in `serve_jobs`. Job ids are names, not
// positions: they are unique but in no particular order.
//
// Your task: `run_pool` runs the jobs on `workers` worker processes working
// at the same time (start from your process_pool), and returns one result per
// job *in the order of `jobs`*. Every worker must have exited and been waited
// for when it returns.
//
// `concur run ordered_results` runs the demo in `main`.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;
use serde::{Deserialize, Serialize};

/// One job, one line of JSON: `{"id":42,"n":7,"millis":300}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub n: u64,
    /// How long the job takes, in milliseconds.
    pub millis: u64,
}

/// A worker's answer to one job, one line of JSON: `{"id":42,"result":49}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResult {
    pub id: u64,
    pub result: u64,
}

/// Runs every job on `workers` processes started as `program worker` and
/// returns one result per job, in the order of `jobs`.
pub fn run_pool(program: &Path, jobs: &[Job], workers: usize) -> io::Result<Vec<JobResult>> {
    // TODO: run the jobs on a pool of worker processes, remember which job
    // each result belongs to, and put the results back in the order of `jobs`.
    todo!("run {} jobs on {workers} copies of {}", jobs.len(), program.display())
}

/// The work itself, given: squares `job.n`, taking `job.millis` milliseconds.
fn do_job(job: &Job) -> u64 {
    simulate(&format!("job {}", job.id), Duration::from_millis(job.millis));
    job.n * job.n
}

/// Worker mode, given: answers every job line on `input` with a result line
/// on `output`, until `input` is closed.
pub fn serve_jobs(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?)?;
        let answer = JobResult { id: job.id, result: do_job(&job) };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

fn demo() -> io::Result<()> {
    let program = std::env::current_exe()?;
    let jobs = [(42, 400), (7, 100), (19, 300), (3, 100), (88, 200), (25, 100)]
        .map(|(id, millis)| Job { id, n: id, millis });
    let started = Instant::now();
    let results = run_pool(&program, &jobs, 3)?;
    for (job, result) in jobs.iter().zip(&results) {
        println!("job {:>2} ({:>3} ms) -> result for job {:>2}: {}", job.id, job.millis, result.id, result.result);
    }
    println!("{} jobs on 3 worker processes took {:?}", jobs.len(), started.elapsed());
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
            eprintln!("ordered_results: {error}");
            ExitCode::FAILURE
        }
    }
}
