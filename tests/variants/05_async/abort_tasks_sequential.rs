// expect-fail: the_first_hit_to_arrive_is_returned
// expect-fail: the_hit_is_returned_as_soon_as_it_arrives
// expect-fail: the_other_searches_are_stopped
//
// Wrong variant of abort_tasks: no tasks at all. It awaits one search after
// the other and returns at the first hit, so the shards are never searched at
// once and the first hit in the list wins.

use std::future::Future;
use std::time::{Duration, Instant};

/// Runs `search` on every shard at once and returns the first `Some` to
/// arrive, or `None` if no shard finds anything. No search is left running.
pub async fn first_hit<F, Fut>(shards: Vec<String>, search: F) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    for shard in shards {
        if let Some(hit) = search(shard).await {
            return Some(hit);
        }
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
