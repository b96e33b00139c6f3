// expect-fail: responses_come_back_in_the_order_of_paths
//
// Wrong variant of spawn_tasks: the requests run at once, but their answers are
// thrown away and the responses are made up from the paths (what the example
// server happens to answer).

use std::future::Future;
use std::time::{Duration, Instant};

/// Fetches every path with `fetch` and returns the responses in the order of
/// `paths`.
pub async fn fetch_all<F, Fut>(paths: Vec<String>, fetch: F) -> Vec<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let tasks: Vec<_> = paths.iter().map(|path| tokio::spawn(fetch(path.clone()))).collect();
    for task in tasks {
        task.await.expect("a request panicked");
    }
    paths.into_iter().map(|path| format!("200 OK {path}")).collect()
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
