// Spawning tasks
//
// `.await` waits for one future, right there. To have several requests waiting
// at the same time, each needs to run on its own: `tokio::spawn(future)` hands
// a future to the runtime as a *task*, which starts running at once, and gives
// you back a `JoinHandle`. Awaiting the handle later gives the task's result
// (wrapped in a `Result`: `Err` if the task panicked). Unlike a thread, a task
// costs almost nothing: a program can have thousands of them waiting at once.
//
// A task may outlive the function that spawned it, so the future it runs must
// own everything it uses ('static) and may move between threads (Send).
//
// Your task: `fetch_all` below fetches every path, one after another. Make it
// fetch them all at the same time, and still return the responses in the order
// of `paths`.
//
// `concur run spawn_tasks` runs `main`.

use std::future::Future;
use std::time::{Duration, Instant};

/// Fetches every path with `fetch` and returns the responses in the order of
/// `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut responses = Vec::with_capacity(paths.len());
    // TODO: each request is awaited before the next one starts. Start them
    // all first, then collect the responses in order.
    for path in paths {
        responses.push(fetch(path).await);
    }
    responses
}

/// A pretend server: every answer takes 200 ms.
async fn fake_fetch(path: String) -> String {
    tokio::time::sleep(Duration::from_millis(200)).await;
    format!("200 OK {path}")
}

#[tokio::main]
async fn main() {
    let paths: Vec<String> = (1..=8).map(|n| format!("/users/{n}")).collect();
    let started = Instant::now();
    let responses = fetch_all(paths, fake_fetch).await;
    for response in &responses {
        println!("{response}");
    }
    println!("8 requests of 200 ms took {:?}", started.elapsed());
}
