// Correct alternative of capstone: the parser pool is a rayon ThreadPool of
// exactly `config.parsers` threads, each running a receive loop over a crossbeam
// queue; stage 1 acquires an owned permit before it spawns each task, and the
// task hands its blocking send to `spawn_blocking` and drops the permit only
// once the page is in the queue; the scorer replaces a dead worker at once.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;
use crossbeam::channel::{self, Receiver, Sender};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

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

/// A page or a post on its way: its place in `ids`, its id, and how far it got.
struct Item<T> {
    index: usize,
    id: u32,
    value: Result<T, String>,
}

/// Fetches `{api_url}/posts/{id}` for every id, parses each page and scores each post in a
/// worker process (`program worker`); returns one `Scored` per id, in the order of `ids`.
pub fn run_pipeline(
    program: &Path,
    api_url: &str,
    ids: &[u32],
    config: Config,
) -> io::Result<Vec<Scored>> {
    let (pages_tx, pages_rx) = channel::bounded::<Item<String>>(config.queue);
    let (posts_tx, posts_rx) = channel::bounded::<Item<Post>>(config.queue);
    // Stage 2: a rayon pool of exactly `parsers` threads, each looping over the queue.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.parsers)
        .thread_name(|i| format!("parser-{i}"))
        .build()
        .map_err(io::Error::other)?;
    // Each parser owns its ends of the queues, so each stage sees its input close.
    let parser_ends: Vec<_> =
        (0..config.parsers).map(|_| (pages_rx.clone(), posts_tx.clone())).collect();
    drop((pages_rx, posts_tx));
    let pool = &pool;
    let scored = thread::scope(|scope| {
        let parsing = scope.spawn(move || {
            pool.scope(|pool_scope| {
                for (pages, posts) in parser_ends {
                    pool_scope.spawn(move |_| {
                        for page in pages.iter() {
                            let value = page.value.and_then(|text| parse_post(page.id, &text));
                            if posts.send(Item { index: page.index, id: page.id, value }).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
        });
        let scorer = scope.spawn(move || score_stage(program, posts_rx));
        let fetched = fetch_stage(api_url, ids, config.max_in_flight, pages_tx);
        parsing.join().expect("a parser panicked");
        let scored = scorer.join().expect("the scorer panicked");
        fetched.and(scored)
    })?;
    let mut results: Vec<Scored> = Vec::with_capacity(ids.len());
    let mut scored = scored;
    scored.sort_by_key(|item| item.index);
    results.extend(scored.into_iter().map(|item| Scored { id: item.id, score: item.value }));
    Ok(results)
}

/// Stage 1: a task per id on a multi-threaded runtime; each holds an owned permit until
/// its page is in the queue, handing the blocking send to tokio's blocking pool.
fn fetch_stage(
    api_url: &str,
    ids: &[u32],
    limit: usize,
    pages: Sender<Item<String>>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let permits = Arc::new(Semaphore::new(limit));
        let mut handles = Vec::new();
        for (index, &id) in ids.iter().enumerate() {
            let permit = Arc::clone(&permits).acquire_owned().await.expect("never closed");
            let (client, pages) = (client.clone(), pages.clone());
            let url = format!("{api_url}/posts/{id}");
            handles.push(tokio::spawn(async move {
                let value = fetch_page(&client, &url).await;
                let sent =
                    tokio::task::spawn_blocking(move || pages.send(Item { index, id, value }));
                let _ = sent.await;
                drop(permit);
            }));
        }
        for handle in handles {
            handle.await.map_err(io::Error::other)?;
        }
        Ok(())
    })
}

/// Stage 3: one worker process scores the posts in turn; one that dies is waited for and
/// replaced, and only its post fails.
fn score_stage(program: &Path, posts: Receiver<Item<Post>>) -> io::Result<Vec<Item<u64>>> {
    let start = || -> io::Result<(Child, BufReader<ChildStdout>)> {
        let mut child = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let out = BufReader::new(child.stdout.take().expect("piped"));
        Ok((child, out))
    };
    let (mut child, mut out) = start()?;
    let mut scored = Vec::new();
    for item in posts.iter() {
        let value = match item.value {
            Err(error) => Err(error),
            Ok(post) => {
                let mut line = serde_json::to_vec(&post)?;
                line.push(b'\n');
                let stdin = child.stdin.as_mut().expect("piped");
                let mut answer = String::new();
                let ok = stdin.write_all(&line).is_ok()
                    && out.read_line(&mut answer).map(|n| n > 0).unwrap_or(false);
                match ok.then(|| serde_json::from_str::<Answer>(&answer).ok()).flatten() {
                    Some(answer) => Ok(answer.score),
                    None => {
                        let _ = child.kill();
                        let status = child.wait()?;
                        (child, out) = start()?;
                        Err(format!("worker crashed on post {} ({status})", post.id))
                    }
                }
            }
        };
        scored.push(Item { index: item.index, id: item.id, value });
    }
    drop(child.stdin.take());
    child.wait()?;
    Ok(scored)
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
