// Correct alternative of capstone: stage 1 is a `futures` stream with
// `buffer_unordered(max_in_flight)` on a single-threaded runtime, which hands
// each page to std's `sync_channel`: a full queue blocks the stream's thread,
// so no new request starts. The parsers are detached std threads sharing the
// receiver behind an Arc<Mutex<…>>, joined at the end; the scorer is a thread
// of its own that reads the worker's answers as `lines()` and replaces a dead
// worker when the next post comes.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Lines, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use concur_kit::workload::simulate;
use futures::stream::{self, StreamExt};
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
    let (pages_tx, pages_rx) = sync_channel::<(usize, Result<String, String>)>(config.queue);
    let pages_rx = Arc::new(Mutex::new(pages_rx));
    let (posts_tx, posts_rx) = sync_channel::<(usize, Result<Post, String>)>(config.queue);

    let parsers: Vec<_> = (0..config.parsers)
        .map(|_| {
            let (pages_rx, posts_tx) = (Arc::clone(&pages_rx), posts_tx.clone());
            let ids = ids.to_vec();
            thread::spawn(move || loop {
                let next = pages_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((index, page)) = next else { break };
                let post = page.and_then(|text| parse_post(ids[index], &text));
                if posts_tx.send((index, post)).is_err() {
                    break;
                }
            })
        })
        .collect();
    drop(posts_tx);

    let scorer = {
        let (program, ids) = (program.to_path_buf(), ids.to_vec());
        thread::spawn(move || score_all(&program, &ids, posts_rx))
    };

    // Stage 1 on this thread: a stream of requests, at most `max_in_flight` at once. A full
    // queue blocks this thread, so no more requests start until the parsers catch up.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut pages = stream::iter(ids.iter().copied().enumerate())
            .map(|(index, id)| {
                let client = &client;
                async move { (index, fetch_page(client, &format!("{api_url}/posts/{id}")).await) }
            })
            .buffer_unordered(config.max_in_flight.max(1));
        while let Some(page) = pages.next().await {
            if pages_tx.send(page).is_err() {
                break;
            }
        }
    });
    drop(pages_tx);
    drop(runtime);

    for parser in parsers {
        parser.join().map_err(|_| io::Error::other("a parser panicked"))?;
    }
    let mut scores = scorer.join().map_err(|_| io::Error::other("the scorer panicked"))??;
    Ok(ids
        .iter()
        .enumerate()
        .map(|(index, &id)| Scored {
            id,
            score: scores.remove(&index).unwrap_or_else(|| Err("never scored".to_string())),
        })
        .collect())
}

/// Stage 3: scores every post in one worker at a time; a worker that dies costs its post,
/// and the next post starts a new one.
fn score_all(
    program: &Path,
    ids: &[u32],
    posts: Receiver<(usize, Result<Post, String>)>,
) -> io::Result<HashMap<usize, Result<u64, String>>> {
    let mut scores = HashMap::new();
    let mut worker: Option<Child> = None;
    let mut answers: Option<Lines<BufReader<ChildStdout>>> = None;
    for (index, post) in posts {
        let score = match post {
            Err(error) => Err(error),
            Ok(post) => {
                if worker.is_none() {
                    let mut child = Command::new(program)
                        .arg("worker")
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .spawn()?;
                    answers = child.stdout.take().map(|out| BufReader::new(out).lines());
                    worker = Some(child);
                }
                let child = worker.as_mut().expect("started above");
                let stdin = child.stdin.as_mut().expect("piped");
                let sent = writeln!(stdin, "{}", serde_json::to_string(&post)?).is_ok();
                let answer = answers.as_mut().and_then(|lines| lines.next());
                match (sent, answer) {
                    (true, Some(Ok(line))) => serde_json::from_str::<Answer>(&line)
                        .map(|answer| answer.score)
                        .map_err(|e| format!("the worker answered nonsense: {e}")),
                    _ => {
                        let mut dead = worker.take().expect("started above");
                        answers = None;
                        let status = dead.wait()?;
                        Err(format!("post {}: the worker died ({status})", ids[index]))
                    }
                }
            }
        };
        scores.insert(index, score);
    }
    if let Some(mut child) = worker {
        drop(child.stdin.take());
        child.wait()?;
    }
    Ok(scores)
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
