// expect-fail: requests_wait_together_on_one_thread
//
// Wrong variant of await_points: it hands the blocking sleep to tokio's
// blocking pool. The requests do wait at once and the runtime stays free, but
// each waiting request takes a thread of its own, which the statement rules out.

use std::time::{Duration, Instant};

/// Asks the simulated server for `path`; the answer comes after `latency`.
pub async fn get(path: &str, latency: Duration) -> String {
    tokio::task::spawn_blocking(move || std::thread::sleep(latency))
        .await
        .expect("the blocking sleep panicked");
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
