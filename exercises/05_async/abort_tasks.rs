// Cancelling tasks
//
// A future that is dropped is cancelled: it never runs another step. A spawned
// task is different: it runs on its own, and dropping its `JoinHandle` does
// *not* stop it; the task goes on in the background, detached. To stop a task,
// call `handle.abort()`; the task is cancelled at its next await point. A
// `JoinSet` does this for all its tasks at once: `set.abort_all()`, or simply
// dropping the set, aborts every task still in it.
//
// `first_hit` searches several shards of a database at once and wants the
// first shard that finds something (`Some`). Once it has a hit, the other
// searches are wasted work and should stop.
//
// The version below has two problems: it waits for the shards in the order of
// `shards` rather than in the order they finish, and the searches it no longer
// needs keep running after it has returned.
//
// Your task: return the first hit as soon as it arrives (or `None` once every
// search has come back empty), and make sure no search is left running.
// Aborting the tasks (through a `JoinSet`, `JoinHandle::abort` or an
// `AbortHandle`) is one way; searching with plain futures that you drop (a
// `FuturesUnordered` from the `futures` crate) is another.
//
// `concur run abort_tasks` runs `main`.

use std::future::Future;
use std::time::{Duration, Instant};

/// Runs `search` on every shard at once and returns the first `Some` to
/// arrive, or `None` if no shard finds anything. No search is left running.
pub async fn first_hit<F, Fut>(shards: Vec<String>, search: F) -> Option<String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    // TODO: wait for whichever search finishes first, not the first in the
    // list, and stop the others once there is a hit.
    let searches: Vec<_> = shards.into_iter().map(|shard| tokio::spawn(search(shard))).collect();
    for search in searches {
        if let Some(hit) = search.await.expect("a search panicked") {
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
