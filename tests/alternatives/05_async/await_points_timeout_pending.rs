// Correct alternative for await_points: a timeout on a future that never
// completes ends exactly when the latency has passed.

use std::time::{Duration, Instant};

/// Asks the simulated server for `path`; the answer comes after `latency`.
pub async fn get(path: &str, latency: Duration) -> String {
    let never = std::future::pending::<()>();
    let _elapsed = tokio::time::timeout(latency, never).await;
    format!("200 OK {path}")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let started = Instant::now();
    let (a, b, c, d, e) = tokio::join!(
        get("/a", Duration::from_millis(200)),
        get("/b", Duration::from_millis(200)),
        get("/c", Duration::from_millis(200)),
        get("/d", Duration::from_millis(200)),
        get("/e", Duration::from_millis(200)),
    );
    println!("{a}\n{b}\n{c}\n{d}\n{e}");
    println!("5 requests of 200 ms took {:?}", started.elapsed());
}
