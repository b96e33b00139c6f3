// Correct alternative for abort_tasks: `futures::future::select_ok`, which
// finishes with the first future that succeeds and drops the others. Each
// search becomes Ok(hit) or Err(()) when it finds nothing; only when every one
// has failed does select_ok give the error.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::{select_ok, FutureExt};

/// Runs `search` on every shard at once and returns the first `Some` to
/// arrive, or `None` if no shard finds anything. No search is left running.
pub async fn first_hit<F, Fut>(shards: Vec<String>, search: F) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    if shards.is_empty() {
        return None; // select_ok needs at least one future
    }
    let searches = shards
        .into_iter()
        .map(|shard| search(shard).map(|found| found.ok_or(())).boxed());
    select_ok(searches).await.ok().map(|(hit, _the_rest)| hit)
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
