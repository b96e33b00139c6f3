// Correct alternative of capstone: tokio's own bounded mpsc channel between
// stages 1 and 2 (a fetching task awaits `send` while it holds its permit, so a
// full queue holds up the next requests), tasks in a JoinSet on a
// single-threaded runtime, parser threads sharing the receiver behind a Mutex
// with `blocking_recv`, std's sync_channel to the scorer, which runs on the
// calling thread and starts a worker lazily, replacing it when it dies.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinSet;

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

/// A page or a post on its way, with its place in `ids`.
type Item<T> = (usize, u32, Result<T, String>);

/// Fetches `{api_url}/posts/{id}` for every id, parses each page and scores each post in a
/// worker process (`program worker`); returns one `Scored` per id, in the order of `ids`.
pub fn run_pipeline(
    program: &Path,
    api_url: &str,
    ids: &[u32],
    config: Config,
) -> io::Result<Vec<Scored>> {
    let (pages_tx, pages_rx) = mpsc::channel::<Item<String>>(config.queue.max(1));
    let pages_rx = Mutex::new(pages_rx);
    let (posts_tx, posts_rx) = std::sync::mpsc::sync_channel::<Item<Post>>(config.queue);
    let mut results: Vec<Option<Scored>> = vec![None; ids.len()];
    let fetched = thread::scope(|scope| -> io::Result<()> {
        let fetcher = scope.spawn(move || fetch_all(api_url, ids, config.max_in_flight, pages_tx));
        for _ in 0..config.parsers {
            let (pages_rx, posts_tx) = (&pages_rx, posts_tx.clone());
            scope.spawn(move || loop {
                // The lock is held only while waiting for the next page, not while parsing.
                let next = pages_rx.lock().expect("no parser panics holding it").blocking_recv();
                let Some((index, id, page)) = next else { break };
                let post = page.and_then(|text| parse_post(id, &text));
                if posts_tx.send((index, id, post)).is_err() {
                    break;
                }
            });
        }
        drop(posts_tx);
        // The scorer is this thread: it ends when every parser has dropped its sender.
        let mut scorer = Scorer::new(program);
        for (index, id, post) in posts_rx {
            let score = match post {
                Ok(post) => scorer.score(&post),
                Err(error) => Err(error),
            };
            results[index] = Some(Scored { id, score });
        }
        scorer.close()?;
        fetcher.join().expect("the fetcher does not panic")
    });
    fetched?;
    Ok(results.into_iter().map(|r| r.expect("every id went through the pipeline")).collect())
}

/// Stage 1 on a single-threaded runtime: a task per id, each holding one of `limit` permits
/// until its page is in the queue.
fn fetch_all(
    api_url: &str,
    ids: &[u32],
    limit: usize,
    pages: mpsc::Sender<Item<String>>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let permits = Arc::new(Semaphore::new(limit));
        let mut tasks = JoinSet::new();
        for (index, &id) in ids.iter().enumerate() {
            let (client, pages) = (client.clone(), pages.clone());
            let permit = Arc::clone(&permits).acquire_owned();
            let url = format!("{api_url}/posts/{id}");
            tasks.spawn(async move {
                let _permit = permit.await.expect("never closed");
                let page = fetch_page(&client, &url).await;
                // Waits while the queue is full, still holding the permit.
                let _ = pages.send((index, id, page)).await;
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.map_err(io::Error::other)?;
        }
        Ok(())
    })
}

/// Stage 3: one worker at a time, replaced when it dies.
struct Scorer<'a> {
    program: &'a Path,
    worker: Option<(Child, ChildStdin, BufReader<ChildStdout>)>,
}

impl<'a> Scorer<'a> {
    fn new(program: &'a Path) -> Scorer<'a> {
        Scorer { program, worker: None }
    }

    fn score(&mut self, post: &Post) -> Result<u64, String> {
        if self.worker.is_none() {
            let mut child = Command::new(self.program)
                .arg("worker")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("starting a worker: {e}"))?;
            let stdin = child.stdin.take().expect("piped");
            let stdout = BufReader::new(child.stdout.take().expect("piped"));
            self.worker = Some((child, stdin, stdout));
        }
        let (_, stdin, stdout) = self.worker.as_mut().expect("started above");
        let line = serde_json::to_string(post).map_err(|e| e.to_string())? + "\n";
        let mut answer = String::new();
        let answered = stdin.write_all(line.as_bytes()).is_ok()
            && stdout.read_line(&mut answer).is_ok_and(|n| n > 0);
        match answered.then(|| serde_json::from_str::<Answer>(&answer)) {
            Some(Ok(answer)) if answer.id == post.id => Ok(answer.score),
            _ => {
                // Dead or talking nonsense: end it, wait for it, the next post gets a new one.
                let (mut child, stdin, _) = self.worker.take().expect("started above");
                drop(stdin);
                let _ = child.kill();
                let status = child.wait().map_err(|e| e.to_string())?;
                Err(format!("the worker died on post {} ({status})", post.id))
            }
        }
    }

    fn close(mut self) -> io::Result<()> {
        if let Some((mut child, stdin, _)) = self.worker.take() {
            drop(stdin);
            child.wait()?;
        }
        Ok(())
    }
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
