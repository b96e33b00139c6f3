// expect-fail: requests_wait_together_on_one_thread
//
// Wrong variant of await_points: it awaits once (yield_now) and then blocks the
// thread with std::thread::sleep. Every request gets to start before the first
// one blocks, so all their spans are open at once (peak N), but the waits run
// one after another: N × latency, and the runtime is held up the whole time.

use std::time::{Duration, Instant};

/// Asks the simulated server for `path`; the answer comes after `latency`.
pub async fn get(path: &str, latency: Duration) -> String {
    tokio::task::yield_now().await;
    std::thread::sleep(latency);
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
