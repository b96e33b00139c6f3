// expect-fail: get_waits_for_the_latency
//
// Wrong variant of await_points: it awaits a tokio sleep, but of a fixed 300 ms
// (the value it saw in an example), whatever `latency` says.

use std::time::{Duration, Instant};

/// Asks the simulated server for `path`; the answer comes after `latency`.
pub async fn get(path: &str, latency: Duration) -> String {
    let _ = latency;
    tokio::time::sleep(Duration::from_millis(300)).await;
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
