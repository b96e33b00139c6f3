// expect-fail: requests_wait_at_the_same_time
//
// Wrong variant of spawn_tasks: it spawns each request as a task but awaits the
// handle on the next line, so the next task is only spawned once the previous
// one has finished. The responses are right and in order.

use std::future::Future;
use std::time::{Duration, Instant};

pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut responses = Vec::with_capacity(paths.len());
    for path in paths {
        responses.push(tokio::spawn(fetch(path)).await.expect("a request panicked"));
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
