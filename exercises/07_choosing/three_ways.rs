// Three ways to do one job
//
// Threads, processes and async tasks can all keep several pieces of work going
// at once, each in its own way:
//
//   threads    several OS threads in one process, sharing its memory;
//   processes  several copies of a program that share nothing and talk over pipes;
//   async      many tasks taking turns on a few threads (here: one), each one
//              running until it has to wait, then letting another run.
//
// Which one fits depends on what the work spends its time on. Here you write one
// job three ways, and concur runs each way on two workloads:
//
//   I/O-bound  the author (`user_id`) of each post: one request per post to the
//              mock API, which holds every answer for 200 ms. The CPU idles.
//   CPU-bound  `crunch(n)` for each number: about 40 ms of pure computation,
//              no waiting at all.
//
// `Work` says which; `do_one` does one item of either kind, blocking, and
// `fetch_author` is the async way to do a request. They are given.
//
// Your task: the three functions below do one item after another. Make each of
// them do all items at once, in its own way, and still return the results in
// the order of `ids`:
//
//   1. `with_threads`: a thread of your own per item (a pool such as rayon's,
//      with as many threads as it likes, is another way, not this one).
//   2. `with_processes`: a worker process per item, doing all the work of its
//      item. This program is its own worker: `worker_command` describes
//      `program worker crunch 7`, which does that one item and prints the
//      answer. Start every worker before waiting for any, and wait for every
//      one of them.
//   3. `with_async`: a task per item. concur drives it on a single-threaded
//      runtime, as `main` does, next to a task of its own that must keep
//      running meanwhile: all tasks share that one thread, which is plenty for
//      waiting on the network. So each request is a task awaiting
//      `fetch_author`, without a thread of its own (no `spawn_blocking`, no std
//      threads, nothing that blocks). But a task that computes holds the thread
//      until it is done, and nothing else runs meanwhile. So the crunches must
//      not run on the runtime's thread: hand each to the threads tokio keeps
//      for such work (`tokio::task::spawn_blocking`; a thread of your own works
//      too), and let the runtime's thread only await them.
//
// concur checks that each way is concurrent in its own way (which thread or
// process did each item, and when), then prints what it measured: wall time, CPU
// time, the most items at once, the threads and processes used, and a timeline
// of every run. It is not a race; read the table and ask why. How many threads
// did each way use for the 8 requests? Why do the processes cost more CPU time
// for the same requests? On which threads did the async crunches run?
// `concur run three_ways` runs `main`.

use std::path::Path;
use std::process::{Command, ExitCode, Output};
use std::sync::OnceLock;
use std::time::Instant;

use concur_kit::workload::crunch;
use serde::Deserialize;

/// How long the mock API holds each answer, like a server far away.
pub const LATENCY_MS: u64 = 200;

/// Any error: a failed request, a worker that failed or answered nonsense, …
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// What one item of the job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// I/O-bound: the author (`user_id`) of post `id`, from `GET {base_url}/posts/{id}`.
    Fetch { base_url: String },
    /// CPU-bound: `crunch(id)`.
    Crunch,
}

/// The part of a post this job needs.
#[derive(Debug, Deserialize)]
struct Post {
    user_id: u64,
}

/// With threads: one thread per item, all at once; the results in the order of `ids`.
pub fn with_threads(work: &Work, ids: &[u64]) -> Result<Vec<u64>, Error> {
    // TODO: each item waits here for the one before it. Give every item a
    // thread of its own, and collect their answers in the order of `ids`.
    ids.iter().map(|&id| do_one(work, id)).collect()
}

/// With processes: one worker process per item, all at once; the results in the
/// order of `ids`. Every worker has exited and been waited for when this returns.
pub fn with_processes(program: &Path, work: &Work, ids: &[u64]) -> Result<Vec<u64>, Error> {
    let mut results = Vec::with_capacity(ids.len());
    for &id in ids {
        // TODO: `output()` starts a worker and waits until it has finished, so
        // the next one starts only then. Start them all first (their answers
        // come on stdout), then wait for each one and read its answer.
        let output = worker_command(program, work, id).output()?;
        results.push(read_answer(&output)?);
    }
    Ok(results)
}

/// With async tasks, all at once; the results in the order of `ids`. Runs on any
/// tokio runtime, a single-threaded one included.
pub async fn with_async(work: &Work, ids: &[u64]) -> Result<Vec<u64>, Error> {
    let client = reqwest::Client::new();
    let mut results = Vec::with_capacity(ids.len());
    // TODO: each `.await` waits for one item before the next starts. Start every
    // item first, then collect the answers in order. And look again at the
    // crunch: it never awaits. Where should it run?
    for &id in ids {
        let result = match work {
            Work::Fetch { base_url } => fetch_author(&client, base_url, id).await?,
            Work::Crunch => crunch(id),
        };
        results.push(result);
    }
    Ok(results)
}

/// One item, blocking: what a thread or a worker process runs.
pub fn do_one(work: &Work, id: u64) -> Result<u64, Error> {
    match work {
        Work::Fetch { base_url } => {
            let post: Post = blocking_client()
                .get(post_url(base_url, id))
                .send()?
                .error_for_status()?
                .json()?;
            Ok(post.user_id)
        }
        Work::Crunch => Ok(crunch(id)),
    }
}

/// One post's author, for async code: waits without holding a thread.
pub async fn fetch_author(client: &reqwest::Client, base_url: &str, id: u64) -> Result<u64, Error> {
    let post: Post = client
        .get(post_url(base_url, id))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(post.user_id)
}

/// `program worker fetch BASE_URL ID` or `program worker crunch ID`: a worker
/// that does one item and prints its answer.
pub fn worker_command(program: &Path, work: &Work, id: u64) -> Command {
    let mut command = Command::new(program);
    command.arg("worker");
    match work {
        Work::Fetch { base_url } => command.args(["fetch", base_url.as_str()]),
        Work::Crunch => command.arg("crunch"),
    };
    command.arg(id.to_string());
    command
}

/// The number a worker printed, if it ended successfully.
pub fn read_answer(output: &Output) -> Result<u64, Error> {
    if !output.status.success() {
        return Err(format!(
            "a worker failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    printed
        .trim()
        .parse()
        .map_err(|_| format!("a worker printed {printed:?}, not a number").into())
}

fn post_url(base_url: &str, id: u64) -> String {
    format!("{base_url}/posts/{id}?latency_ms={LATENCY_MS}")
}

/// One blocking HTTP client for every thread, made on first use. (Inside, it
/// does its networking on a background thread of its own.)
fn blocking_client() -> &'static reqwest::blocking::Client {
    static CLIENT: OnceLock<reqwest::blocking::Client> = OnceLock::new();
    CLIENT.get_or_init(reqwest::blocking::Client::new)
}

/// Worker mode: do the one item named by the arguments and print its answer.
fn serve_one(args: &[String]) -> Result<(), Error> {
    let (work, id) = match args {
        [kind, base_url, id] if kind == "fetch" => (
            Work::Fetch {
                base_url: base_url.clone(),
            },
            id,
        ),
        [kind, id] if kind == "crunch" => (Work::Crunch, id),
        _ => {
            return Err(format!("expected `fetch BASE_URL ID` or `crunch ID`, got {args:?}").into())
        }
    };
    println!("{}", do_one(&work, id.parse()?)?);
    Ok(())
}

fn demo() -> Result<(), Error> {
    let base_url = std::env::var("CONCUR_API_URL").map_err(|_| {
        "CONCUR_API_URL is not set. Run this exercise with `concur run three_ways`, \
         which starts the mock API and sets it for you."
    })?;
    let program = std::env::current_exe()?;
    // One thread runs every task, as in the checks.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let workloads = [
        (
            "I/O-bound",
            Work::Fetch { base_url },
            (101..=108).collect::<Vec<u64>>(),
        ),
        ("CPU-bound", Work::Crunch, (1..=6).collect()),
    ];
    for (name, work, ids) in &workloads {
        let started = Instant::now();
        with_threads(work, ids)?;
        println!("{name:<10} threads    {:>6.0?}", started.elapsed());
        let started = Instant::now();
        with_processes(&program, work, ids)?;
        println!("{name:<10} processes  {:>6.0?}", started.elapsed());
        let started = Instant::now();
        runtime.block_on(with_async(work, ids))?;
        println!("{name:<10} async      {:>6.0?}", started.elapsed());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.split_first() {
        Some((mode, rest)) if mode == "worker" => serve_one(rest),
        _ => demo(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("three_ways: {error}");
            ExitCode::FAILURE
        }
    }
}
