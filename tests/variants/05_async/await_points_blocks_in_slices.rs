// expect-fail: requests_wait_together_on_one_thread
//
// Wrong variant of await_points: it blocks in small slices and yields between
// them, so the requests take turns, but every slice still holds the thread:
// the waits add up to N × latency.

use std::time::{Duration, Instant};

/// Asks the simulated server for `path`; the answer comes after `latency`.
pub async fn get(path: &str, latency: Duration) -> String {
    let slices = 10;
    for _ in 0..slices {
        std::thread::sleep(latency / slices);
        tokio::task::yield_now().await;
    }
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
