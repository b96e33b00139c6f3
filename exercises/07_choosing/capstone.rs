// Capstone: one pipeline, three tools
//
// Each stage of a program can use the tool that fits it:
//   - waiting for many slow network answers: async tasks, cheap to have by the
//     hundred, each waiting without holding a thread;
//   - work that keeps a CPU busy: a few threads, fed from a queue;
//   - code you do not trust, that may crash: a process of its own, so the
//     crash takes down that process and nothing else.
// Stages hand items on through queues. A *bounded* queue keeps a fast stage
// from running ahead of a slow one (backpressure), so memory stays small. And
// the pipeline shuts down by closing: when a stage is done, its output queue
// closes, the next stage drains it and finishes in turn.
//
// Your task: `run_pipeline` fetches the posts `ids` from the mock API, parses
// them and scores them, and returns one `Scored` per id in the order of `ids`.
// It works, but does everything one at a time, on one thread, in one process
// (and `concur run capstone` shows what post 13 does to it). Make it a pipeline:
//   1. Fetch: async, on a tokio runtime the function builds; several
//      requests in flight at once, never more than `config.max_in_flight`.
//   2. Parse: `config.parsers` threads call the given `parse_post`, fed by a
//      bounded queue of `config.queue` pages. When the queue is full, fetching
//      waits.
//   3. Score: ONE worker process, this program run as `program worker`
//      (`serve_scores` below is its side, given), scores the posts as they
//      come out of the parsers: one `Post` JSON line in, one `Answer` line
//      out. The given `score` aborts its process on post 13: that post's
//      result is an `Err`, and ONE new worker scores the rest. Send post 13
//      to the worker like any other post (the checks see which process
//      scored what): handle the crash, do not dodge the post.
//   4. Shut down cleanly: when `run_pipeline` returns, every thread it started
//      has ended and every worker process has exited and been waited for.
//
// Leave the given functions as they are: the checks watch them.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;
use serde::{Deserialize, Serialize};

/// How long parsing one page takes (given, like CPU work would).
pub const PARSE_TIME: Duration = Duration::from_millis(100);
/// How long scoring one post takes in the worker (given).
pub const SCORE_TIME: Duration = Duration::from_millis(20);

/// How much of each stage may run at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Stage 1: requests in flight at the same time, at most.
    pub max_in_flight: usize,
    /// Between stages 1 and 2: pages the queue holds, at most.
    pub queue: usize,
    /// Stage 2: parser threads.
    pub parsers: usize,
}

/// A post as `GET /posts/{id}` returns it; also what the worker reads, one JSON line each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: u32,
    pub user_id: u32,
    pub title: String,
    pub body: String,
}

/// The worker's answer to one post, one JSON line: `{"id":7,"score":2848}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub id: u32,
    pub score: u64,
}

/// What became of one id: its score, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub id: u32,
    pub score: Result<u64, String>,
}

/// Fetches `{api_url}/posts/{id}` for every id, parses each page and scores each post in a
/// worker process (`program worker`); returns one `Scored` per id, in the order of `ids`.
pub fn run_pipeline(
    program: &Path,
    api_url: &str,
    ids: &[u32],
    config: Config,
) -> io::Result<Vec<Scored>> {
    // TODO: replace this loop, which does one thing at a time, with the three
    // stages. `program` and `config` are for you to use.
    let _ = (program, config);
    let runtime = tokio::runtime::Runtime::new()?;
    let client = reqwest::Client::new();
    let mut results = Vec::with_capacity(ids.len());
    for &id in ids {
        // TODO stage 1: fetch concurrently, at most `config.max_in_flight` at once.
        let page = runtime.block_on(fetch_page(&client, &format!("{api_url}/posts/{id}")));
        // TODO stage 2: parse on `config.parsers` threads, fed by a bounded queue.
        let post = page.and_then(|text| parse_post(id, &text));
        // TODO stage 3: score in one worker process; a crash fails only its post.
        let score = post.map(|post| score(&post));
        results.push(Scored { id, score });
    }
    Ok(results)
}

/// Given: fetches one page's text; an error says which URL failed and why.
async fn fetch_page(client: &reqwest::Client, url: &str) -> Result<String, String> {
    let request = async { client.get(url).send().await?.error_for_status()?.text().await };
    request.await.map_err(|error| format!("fetching {url}: {error}"))
}

/// Given: turns a page's text into a `Post`. It takes `PARSE_TIME`, on the thread that calls it.
pub fn parse_post(id: u32, text: &str) -> Result<Post, String> {
    simulate(&format!("parse(post {id})"), PARSE_TIME);
    serde_json::from_str(text).map_err(|error| format!("post {id} is not a post: {error}"))
}

/// Given: a third-party scoring function we do not trust. It takes `SCORE_TIME`, and on
/// post 13 it then aborts the whole process it runs in: no `catch_unwind` can stop that.
pub fn score(post: &Post) -> u64 {
    simulate(&format!("score(post {})", post.id), SCORE_TIME);
    if post.id == 13 {
        eprintln!("scorer (pid {}): post 13 broke me, aborting", std::process::id());
        std::process::abort();
    }
    post.title.bytes().chain(post.body.bytes()).map(u64::from).sum()
}

/// Worker mode, given: answers every post line on `input` with an `Answer` line on
/// `output`, until `input` is closed.
pub fn serve_scores(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let post: Post = serde_json::from_str(&line?)?;
        let answer = Answer { id: post.id, score: score(&post) };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

fn demo() -> io::Result<()> {
    let Ok(api_url) = std::env::var("CONCUR_API_URL") else {
        return Err(io::Error::other(
            "CONCUR_API_URL is not set. Run this exercise with `concur run capstone`, which \
             starts the mock API and sets it for you.",
        ));
    };
    let program = std::env::current_exe()?;
    let ids: Vec<u32> = (1..=16).collect();
    let config = Config { max_in_flight: 4, queue: 4, parsers: 3 };
    let started = Instant::now();
    for scored in run_pipeline(&program, &api_url, &ids, config)? {
        match scored.score {
            Ok(score) => println!("post {:>3}: score {score}", scored.id),
            Err(error) => println!("post {:>3}: failed: {error}", scored.id),
        }
    }
    println!("{} posts in {:?} with {config:?}", ids.len(), started.elapsed());
    Ok(())
}

fn main() -> ExitCode {
    let outcome = if std::env::args().nth(1).as_deref() == Some("worker") {
        serve_scores(io::stdin().lock(), io::stdout().lock())
    } else {
        demo()
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("capstone: {error}");
            ExitCode::FAILURE
        }
    }
}
