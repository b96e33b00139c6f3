// expect-fail: several_requests_are_in_flight_at_once
//
// Wrong variant of capstone: stage 1 spawns each request's task only when the
// one before it has finished (a lazy iterator of tasks, awaited in turn), so
// only one request is ever in flight. Parsing is the slow stage, so everything
// else still looks right: only the in-flight check can catch it.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, ExitStatus, Stdio};
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

/// One id on its way through the pipeline: its place in the result, and how far it got.
struct Item<T> {
    index: usize,
    id: u32,
    value: Result<T, String>,
}

/// Fetches `{api_url}/posts/{id}` for every id, parses each page and scores each post in a
/// worker process (`program worker`); returns one `Scored` per id, in the order of `ids`.
/// No thread or process it started is left when it returns.
///
/// # Panics
///
/// If `config.max_in_flight` or `config.parsers` is zero.
pub fn run_pipeline(
    program: &Path,
    api_url: &str,
    ids: &[u32],
    config: Config,
) -> io::Result<Vec<Scored>> {
    assert!(config.max_in_flight > 0, "fetching needs at least one request in flight");
    assert!(config.parsers > 0, "parsing needs at least one parser thread");

    let (pages_tx, pages_rx) = channel::bounded(config.queue);
    let (posts_tx, posts_rx) = channel::bounded(config.queue);
    let (fetched, scored) = thread::scope(|scope| {
        let scorer = scope.spawn(move || score_stage(program, posts_rx));
        for _ in 0..config.parsers {
            let (pages, posts) = (pages_rx.clone(), posts_tx.clone());
            scope.spawn(move || parse_stage(pages, posts));
        }
        // From here the parsers hold the only receivers of the pages and the only senders of
        // the posts, so each stage sees its input close when the stage before it is done.
        drop((pages_rx, posts_tx));
        let fetched = fetch_stage(api_url, ids, config.max_in_flight, pages_tx);
        let scored = scorer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (fetched, scored)
    });
    fetched?;
    let mut scored = scored?;
    scored.sort_by_key(|item| item.index);
    Ok(scored.into_iter().map(|item| Scored { id: item.id, score: item.value }).collect())
}

/// Stage 1: fetches every page on a runtime of its own, at most `max_in_flight` at once, and
/// sends each into `pages`; returns once every page is in the queue.
fn fetch_stage(
    api_url: &str,
    ids: &[u32],
    max_in_flight: usize,
    pages: Sender<Item<String>>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let permits = Arc::new(Semaphore::new(max_in_flight));
        // Not collected: each task is spawned only when the loop below asks for it.
        let tasks = ids
            .iter()
            .enumerate()
            .map(|(index, &id)| {
                let (client, permits, pages) =
                    (client.clone(), Arc::clone(&permits), pages.clone());
                let url = format!("{api_url}/posts/{id}");
                tokio::spawn(async move {
                    let _permit = permits.acquire().await.expect("the semaphore is never closed");
                    let value = fetch_page(&client, &url).await;
                    // Still holding the permit: while the queue is full, no new request starts.
                    // `send` blocks this thread until there is room, so tell tokio to move its
                    // other tasks elsewhere meanwhile. It fails only if every parser is gone,
                    // which happens only if one panicked; the scope reports that panic.
                    let _ = tokio::task::block_in_place(|| pages.send(Item { index, id, value }));
                })
            });
        for task in tasks {
            task.await.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()));
        }
    });
    Ok(())
}

/// Stage 2, one parser thread: parses pages until the queue is empty and closed.
fn parse_stage(pages: Receiver<Item<String>>, posts: Sender<Item<Post>>) {
    for page in pages {
        let value = page.value.and_then(|text| parse_post(page.id, &text));
        if posts.send(Item { index: page.index, id: page.id, value }).is_err() {
            // The scorer has stopped (it could not start a worker); nobody wants more posts.
            break;
        }
    }
}

/// Stage 3: scores every post in one worker process, replacing the worker if it dies, until
/// the parsers are done; then lets the worker exit and waits for it.
fn score_stage(program: &Path, posts: Receiver<Item<Post>>) -> io::Result<Vec<Item<u64>>> {
    let mut worker = Worker::start(program)?;
    let mut scored = Vec::new();
    for item in posts {
        let value = match item.value {
            Err(error) => Err(error),
            Ok(post) => match worker.score(&post) {
                Ok(score) => Ok(score),
                Err(error) => {
                    let status = worker.kill();
                    worker = Worker::start(program)?;
                    Err(format!("scoring post {}: {error} ({status})", post.id))
                }
            },
        };
        scored.push(Item { index: item.index, id: item.id, value });
    }
    let status = worker.finish()?;
    if !status.success() {
        return Err(io::Error::other(format!("the scoring worker failed: {status}")));
    }
    Ok(scored)
}

/// The worker process and both ends of its pipes.
struct Worker {
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
}

impl Worker {
    fn start(program: &Path) -> io::Result<Worker> {
        let mut child = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to_worker = child.stdin.take().expect("stdin was piped at spawn");
        let from_worker = BufReader::new(child.stdout.take().expect("stdout was piped at spawn"));
        Ok(Worker { child, to_worker, from_worker })
    }

    /// Sends one post and reads the worker's answer to it.
    fn score(&mut self, post: &Post) -> io::Result<u64> {
        let mut line = serde_json::to_vec(post)?;
        line.push(b'\n');
        self.to_worker.write_all(&line)?;
        self.to_worker.flush()?;
        let mut answer = String::new();
        if self.from_worker.read_line(&mut answer)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the worker exited without answering",
            ));
        }
        let answer: Answer = serde_json::from_str(&answer)?;
        if answer.id != post.id {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the worker answered for post {} instead", answer.id),
            ));
        }
        Ok(answer.score)
    }

    /// Closes the worker's stdin, which tells it to exit, and waits for it.
    fn finish(mut self) -> io::Result<ExitStatus> {
        drop(self.to_worker);
        self.child.wait()
    }

    /// Ends a worker that died or stopped making sense, waits for it, and says how it ended.
    fn kill(mut self) -> String {
        // An error here means it has exited already, which is what we want.
        let _ = self.child.kill();
        match self.finish() {
            Ok(status) => status.to_string(),
            Err(error) => format!("could not wait for it: {error}"),
        }
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
