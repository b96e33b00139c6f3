// Spawning tasks: one task per request, awaited in order.
//
// Reference solution. Every request is spawned as a task before any is awaited,
// so all of them wait on the server together; the handles are kept in the
// order of the paths, and awaiting them in that order returns the responses in
// that order too.

use std::future::Future;
use std::time::{Duration, Instant};

/// Fetches every path with `fetch`, all at the same time, and returns the
/// responses in the order of `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let tasks: Vec<_> = paths.into_iter().map(|path| tokio::spawn(fetch(path))).collect();
    let mut responses = Vec::with_capacity(tasks.len());
    for task in tasks {
        // A task only fails to join if it panicked; pass the panic on as it was.
        let response = task
            .await
            .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()));
        responses.push(response);
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
