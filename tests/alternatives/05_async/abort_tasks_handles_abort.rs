// Correct alternative for abort_tasks: plain `tokio::spawn`, each search
// sending its answer into an mpsc channel, and the JoinHandles kept so that
// each one can be aborted with `handle.abort()` once there is a hit.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

/// Runs `search` on every shard at once and returns the first `Some` to
/// arrive, or `None` if no shard finds anything. No search is left running.
pub async fn first_hit<F, Fut>(shards: Vec<String>, search: F) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handles: Vec<_> = shards
        .into_iter()
        .map(|shard| {
            let tx = tx.clone();
            let search = search(shard);
            tokio::spawn(async move {
                let _ = tx.send(search.await);
            })
        })
        .collect();
    // Only the tasks hold senders now: `recv` gives None once all have answered.
    drop(tx);
    let mut hit = None;
    while let Some(found) = rx.recv().await {
        if found.is_some() {
            hit = found;
            break;
        }
    }
    for handle in &handles {
        handle.abort();
    }
    hit
}

/// A pretend shard: shard 3 has the answer, and each shard takes its own time.
async fn fake_search(shard: String) -> Option<String> {
    let n: u64 = shard.trim_start_matches("shard ").parse().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(100 * (6 - n))).await;
    println!("{shard} finished searching");
    (n == 3).then(|| format!("found in {shard}"))
}

#[tokio::main]
async fn main() {
    let shards: Vec<String> = (1..=5).map(|n| format!("shard {n}")).collect();
    let started = Instant::now();
    let hit = first_hit(shards, fake_search).await;
    println!("{hit:?} after {:?}", started.elapsed());
    // Any search still running would print here.
    tokio::time::sleep(Duration::from_millis(600)).await;
}
