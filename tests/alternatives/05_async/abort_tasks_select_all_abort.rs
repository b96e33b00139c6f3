// Correct alternative for abort_tasks: spawned tasks raced with
// `futures::future::select_all`, which gives the first JoinHandle to finish and
// the rest; on a hit the rest are aborted one by one.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::select_all;

/// Runs `search` on every shard at once and returns the first `Some` to
/// arrive, or `None` if no shard finds anything. No search is left running.
pub async fn first_hit<F, Fut>(shards: Vec<String>, search: F) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    let mut running: Vec<_> = shards.into_iter().map(|shard| tokio::spawn(search(shard))).collect();
    while !running.is_empty() {
        let (done, _index, rest) = select_all(running).await;
        let found = done.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()));
        if found.is_some() {
            for handle in &rest {
                handle.abort();
            }
            return found;
        }
        running = rest;
    }
    None
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
