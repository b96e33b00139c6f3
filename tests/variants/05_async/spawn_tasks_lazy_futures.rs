// expect-fail: requests_wait_at_the_same_time
//
// Wrong variant of spawn_tasks: it makes every request's future first and
// awaits them one by one. A future does nothing until it is awaited, so the
// requests still run one after another.

use std::future::Future;
use std::time::{Duration, Instant};

/// Fetches every path with `fetch` and returns the responses in the order of
/// `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let requests: Vec<Fut> = paths.into_iter().map(|path| fetch(path)).collect();
    let mut responses = Vec::with_capacity(requests.len());
    for request in requests {
        responses.push(request.await);
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
