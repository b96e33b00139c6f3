// Await points
//
// An `async fn` does not run when you call it: it returns a *future*, a value
// that describes the work. Nothing happens until the future is awaited, and
// `.await` is also where a task steps aside: while one task waits there, the
// runtime (tokio) runs other tasks on the same thread. A task only steps aside
// at an `.await`. Code that blocks the thread without awaiting (a long loop,
// `std::thread::sleep`, a blocking read) holds up every other task on it.
//
// `get` below pretends to ask a server for `path`: the server takes `latency`
// to answer. It returns the right answer, but it waits by putting the whole
// thread to sleep, so a hundred requests on one thread take a hundred times as
// long as one.
//
// Your task: make `get` wait the async way, so that many requests can wait on
// one thread at the same time. It must still take `latency` before it answers.
// Waiting must not take a thread: handing the sleep to another thread
// (`tokio::task::spawn_blocking`, `std::thread::spawn`) only moves the blocking
// elsewhere, one thread per waiting request, which is what async avoids. The
// checks run `get` on a single-threaded runtime and look for both.
//
// `concur run await_points` runs `main`: five requests on a single thread.

use std::time::{Duration, Instant};

/// Asks the simulated server for `path`; the answer comes after `latency`.
pub async fn get(path: &str, latency: Duration) -> String {
    // TODO: this blocks the thread; wait without blocking it.
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
