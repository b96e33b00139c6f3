// Correct alternative for bounded_channel: no spawned task. The producer and
// the consumer are two futures of this one task, driven together by
// `tokio::join!`; the bounded channel between them makes the producer wait
// while it is full.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

/// Fetches every path with `fetch` and saves each page with `save`, in the
/// order of `paths`. Returns the number of pages saved.
pub async fn download_and_save<F, FetchFut, S, SaveFut>(
    paths: Vec<String>,
    capacity: usize,
    fetch: F,
    save: S,
) -> usize
where
    F: Fn(String) -> FetchFut + Send + 'static,
    FetchFut: Future<Output = String> + Send,
    S: Fn(String) -> SaveFut,
    SaveFut: Future<Output = ()>,
{
    let (tx, mut rx) = mpsc::channel(capacity.max(1));
    let producer = async move {
        for path in paths {
            let page = fetch(path).await;
            if tx.send(page).await.is_err() {
                break;
            }
        }
        // `tx` is dropped here, which ends the consumer's loop.
    };
    let consumer = async {
        let mut saved = 0;
        while let Some(page) = rx.recv().await {
            save(page).await;
            saved += 1;
        }
        saved
    };
    let ((), saved) = tokio::join!(producer, consumer);
    saved
}

/// A pretend server: each page takes 50 ms to arrive.
async fn fake_fetch(path: String) -> String {
    tokio::time::sleep(Duration::from_millis(50)).await;
    format!("<html>{path}</html>")
}

/// A pretend disk: each page takes 100 ms to write.
async fn fake_save(page: String) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    println!("saved {page}");
}

#[tokio::main]
async fn main() {
    let paths: Vec<String> = (1..=8).map(|n| format!("/pages/{n}")).collect();
    let started = Instant::now();
    let saved = download_and_save(paths, 2, fake_fetch, fake_save).await;
    println!("{saved} pages fetched and saved in {:?}", started.elapsed());
}
