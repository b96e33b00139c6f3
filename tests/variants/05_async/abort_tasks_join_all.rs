// expect-fail: the_hit_is_returned_as_soon_as_it_arrives
// expect-fail: the_other_searches_are_stopped
//
// Wrong variant of abort_tasks: every search is spawned at once, and each
// notes when it finished; `join_all` waits for all of them, and the earliest
// hit is returned. The answer is right, but it comes only after the slowest
// search, and no search is ever stopped.

use std::future::Future;
use std::time::{Duration, Instant};

/// Runs `search` on every shard at once and returns the first `Some` to
/// arrive, or `None` if no shard finds anything. No search is left running.
pub async fn first_hit<F, Fut>(shards: Vec<String>, search: F) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    let searches = shards.into_iter().map(|shard| {
        let search = search(shard);
        tokio::spawn(async move { (search.await, Instant::now()) })
    });
    futures::future::join_all(searches)
        .await
        .into_iter()
        .map(|done| done.expect("a search panicked"))
        .filter_map(|(found, when)| Some((when, found?)))
        .min()
        .map(|(_, hit)| hit)
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
