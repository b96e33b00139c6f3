//! Hidden checks for `05_async/abort_tasks`.
//!
//! Every search sleeps a known latency inside a span (one timeline row per shard) and notes
//! in `finished` when it runs to its end. An aborted search is cancelled at its sleep: its
//! span closes when the task is dropped, but it never reaches `finished`. The checks wait
//! past the slowest search before looking, so a search left running has every chance to
//! show itself.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use concur_kit::timeline::fmt_duration;
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::trace::Trace;

use crate::exercise::first_hit;

const DEADLINE: Duration = Duration::from_secs(5);

type Search = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = Option<String>> + Send>> + Send + Sync>;

/// The trace of the searches, and the shards whose search ran to its end.
#[derive(Clone, Default)]
struct Log {
    trace: Trace,
    finished: Arc<Mutex<Vec<String>>>,
}

impl Log {
    /// A search where each shard takes its latency and `hits` say which shards find something.
    fn search(&self, shards: &[(&str, u64, bool)]) -> Search {
        let log = self.clone();
        let plan: Arc<HashMap<String, (Duration, bool)>> = Arc::new(
            shards
                .iter()
                .map(|&(s, ms, hit)| (s.to_string(), (Duration::from_millis(ms), hit)))
                .collect(),
        );
        Box::new(move |shard: String| {
            let log = log.clone();
            let (latency, hit) = plan.get(&shard).copied().unwrap_or((Duration::ZERO, false));
            Box::pin(async move {
                let _row = Row::open(&log.trace, &shard);
                tokio::time::sleep(latency).await;
                log.finished.lock().unwrap().push(shard.clone());
                hit.then(|| format!("found in {shard}"))
            })
        })
    }

    fn finished(&self) -> Vec<String> {
        self.finished.lock().unwrap().clone()
    }
}

async fn run(log: &Log, shards: &[(&str, u64, bool)]) -> Option<String> {
    let names: Vec<String> = shards.iter().map(|(s, _, _)| s.to_string()).collect();
    match tokio::time::timeout(DEADLINE, first_hit(names, log.search(shards))).await {
        Ok(found) => found,
        Err(_) => panic!("first_hit did not return within {DEADLINE:?}"),
    }
}

#[test]
async fn the_first_hit_to_arrive_is_returned() {
    let log = Log::default();
    let shards = [("shard 1", 150, true), ("shard 2", 20, false), ("shard 3", 60, true)];
    let found = run(&log, &shards).await;
    assert_eq!(
        found,
        Some("found in shard 3".to_string()),
        "shard 3 finds something after 60 ms and shard 1 only after 150 ms, so first_hit \
         must return shard 3's hit"
    );
    let log = Log::default();
    let empty = [("shard 1", 30, false), ("shard 2", 10, false)];
    let found = run(&log, &empty).await;
    assert_eq!(found, None, "no shard finds anything, so first_hit must return None");
}

#[test]
async fn the_hit_is_returned_as_soon_as_it_arrives() {
    let log = Log::default();
    let shards = [("shard 1", 1000, false), ("shard 2", 50, true), ("shard 3", 1000, false)];
    let started = Instant::now();
    let found = run(&log, &shards).await;
    let took = started.elapsed();
    assert_eq!(found, Some("found in shard 2".to_string()), "only shard 2 finds something");
    // Generous: 8 × the hit's latency, well under the 1 s of the other shards.
    if took >= Duration::from_millis(400) {
        let pic = picture(&log.trace, "searches");
        panic!(
            "first_hit returned shard 2's hit after {}, but shard 2 found it after 50 ms: \
             it waited for shard 1 (1 s) first. Take the searches in the order they finish.{pic}",
            fmt_duration(took)
        );
    }
}

#[test]
async fn the_other_searches_are_stopped() {
    let log = Log::default();
    let slow = 400;
    let shards = [("shard 1", 50, true), ("shard 2", slow, false), ("shard 3", slow, false)];
    let found = run(&log, &shards).await;
    assert_eq!(found, Some("found in shard 1".to_string()), "only shard 1 finds something");
    // Give a search that was left running every chance to finish.
    tokio::time::sleep(Duration::from_millis(slow + 100)).await;
    let finished = log.finished();
    let left_running: Vec<&String> = finished.iter().filter(|s| *s != "shard 1").collect();
    if !left_running.is_empty() {
        let pic = picture(&log.trace, "searches");
        panic!(
            "first_hit had its answer from shard 1 after 50 ms, but the searches of \
             {left_running:?} ran on to their end after it returned. Dropping a JoinHandle \
             does not stop its task; the searches no longer needed must be aborted.{pic}"
        );
    }
}
