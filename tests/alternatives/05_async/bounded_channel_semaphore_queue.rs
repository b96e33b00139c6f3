// Correct alternative for bounded_channel: a queue bounded by hand. The pages
// go through an unbounded channel, but the producer must take one of
// `capacity` semaphore permits before it sends a page, and the consumer gives
// the permit back when it takes the page out: never more than `capacity`
// pages are queued.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, Semaphore};

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
    let room = Arc::new(Semaphore::new(capacity.max(1)));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let producer = {
        let room = Arc::clone(&room);
        tokio::spawn(async move {
            for path in paths {
                let page = fetch(path).await;
                let Ok(slot) = room.acquire().await else { break };
                // The slot stays taken until the consumer takes the page out.
                slot.forget();
                if tx.send(page).is_err() {
                    break;
                }
            }
        })
    };

    let mut saved = 0;
    while let Some(page) = rx.recv().await {
        room.add_permits(1);
        save(page).await;
        saved += 1;
    }
    producer
        .await
        .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()));
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
