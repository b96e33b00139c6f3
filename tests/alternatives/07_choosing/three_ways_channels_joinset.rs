// Correct alternative of three_ways: threads are plain `std::thread::spawn`
// with an mpsc channel of (index, answer), put back in order at the end;
// processes are all spawned, their stdout read to the end, then each waited
// for; async is a JoinSet whose tasks carry their index, with the crunches in
// `spawn_blocking` inside them.

use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::process::{Child, Command, ExitCode, Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::Instant;

use concur_kit::workload::crunch;
use serde::Deserialize;
use tokio::task::JoinSet;

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
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(index, &id)| {
            let (tx, work) = (tx.clone(), work.clone());
            thread::spawn(move || {
                let _ = tx.send((index, do_one(&work, id).map_err(|e| e.to_string())));
            })
        })
        .collect();
    drop(tx);
    let mut results: Vec<Option<u64>> = vec![None; ids.len()];
    for (index, answer) in rx {
        results[index] = Some(answer?);
    }
    for handle in handles {
        handle.join().map_err(|_| "a thread panicked")?;
    }
    results.into_iter().map(|r| r.ok_or_else(|| "an item got no answer".into())).collect()
}

/// With processes: one worker process per item, all at once; the results in the
/// order of `ids`. Every worker has exited and been waited for when this returns.
pub fn with_processes(program: &Path, work: &Work, ids: &[u64]) -> Result<Vec<u64>, Error> {
    let mut workers = Vec::with_capacity(ids.len());
    for &id in ids {
        workers.push(worker_command(program, work, id).stdout(Stdio::piped()).spawn()?);
    }
    let mut results = Vec::with_capacity(workers.len());
    for mut worker in workers {
        let mut printed = String::new();
        worker.stdout.take().expect("piped").read_to_string(&mut printed)?;
        let status = worker.wait()?;
        if !status.success() {
            return Err(format!("a worker failed ({status})").into());
        }
        results.push(printed.trim().parse()?);
    }
    Ok(results)
}

/// With async tasks, all at once; the results in the order of `ids`. Runs on any
/// tokio runtime, a single-threaded one included.
pub async fn with_async(work: &Work, ids: &[u64]) -> Result<Vec<u64>, Error> {
    let client = reqwest::Client::new();
    let mut tasks = JoinSet::new();
    for (index, &id) in ids.iter().enumerate() {
        let (client, work) = (client.clone(), work.clone());
        tasks.spawn(async move {
            let answer = match work {
                Work::Fetch { base_url } => fetch_author(&client, &base_url, id).await,
                Work::Crunch => tokio::task::spawn_blocking(move || crunch(id))
                    .await
                    .map_err(Error::from),
            };
            (index, answer)
        });
    }
    let mut results = vec![0; ids.len()];
    while let Some(done) = tasks.join_next().await {
        let (index, answer) = done?;
        results[index] = answer?;
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
