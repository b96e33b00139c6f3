// Correct alternative for bounded_channel: the `futures` crate's channel. Its
// `channel(buffer)` holds `buffer` pages plus one per sender, so a channel of
// `capacity` pages with its one sender is `channel(capacity - 1)`. The
// producer sends with `SinkExt::send`, the consumer takes pages out as a
// stream.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::channel::mpsc;
use futures::{SinkExt, StreamExt};

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
    let (mut tx, mut rx) = mpsc::channel(capacity.max(1) - 1);
    let producer = tokio::spawn(async move {
        for path in paths {
            let page = fetch(path).await;
            if tx.send(page).await.is_err() {
                break;
            }
        }
    });

    let mut saved = 0;
    while let Some(page) = rx.next().await {
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
