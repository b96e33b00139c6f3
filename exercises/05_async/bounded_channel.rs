// An async channel: producer and consumer
//
// Downloading pages and saving them to disk are two jobs that can overlap: while
// one page is being saved, the next can already be on its way. A channel joins
// the two: a producer task fetches pages and sends them in, a consumer takes
// them out and saves them. `tokio::sync::mpsc::channel(capacity)` is such a
// channel for tasks: `tx.send(page).await` waits while the channel is full,
// `rx.recv().await` waits while it is empty, and gives `None` once it is empty
// and every sender has been dropped.
//
// The capacity is what keeps memory in check: a fast producer can only get
// `capacity` pages ahead of a slow consumer before `send` makes it wait.
// (`unbounded_channel` never makes it wait, and a fast producer can pile up
// every page in memory.)
//
// `download_and_save` below fetches every page first and only then saves them.
// Your task: make fetching and saving overlap through a bounded channel of
// `capacity`, saving the pages in the order of `paths`, and return how many
// pages were saved.
//
// The producer may be a spawned task, or a second future driven together with
// the saving loop (`tokio::join!`). The checks count, from the fetches and
// saves themselves, how many fetched pages were waiting to be saved at every
// moment: with `capacity` pages in the channel and one in the producer's hands,
// never more than `capacity + 1`; and while saving is slow, the producer does
// use the room `capacity` gives it.
//
// `concur run bounded_channel` runs `main`.

use std::future::Future;
use std::time::{Duration, Instant};

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
    // TODO: every page is fetched before the first one is saved, and all of
    // them sit in memory at once. Send the pages through a bounded channel
    // of `capacity` from a producer task to the saving loop instead.
    let _ = capacity;
    let mut pages = Vec::new();
    for path in paths {
        pages.push(fetch(path).await);
    }
    let mut saved = 0;
    for page in pages {
        save(page).await;
        saved += 1;
    }
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
