//! Hidden checks for `05_async/abort_tasks`.
//!
//! The `search` handed to `first_hit` is made by the check. The shard names, how many, their
//! latencies, which shards find something and where they stand in the list are drawn per run
//! (`Inputs`), and a hit is a text with a token only this run knows (`Inputs::salt`), so no hit
//! can be made up. Every search is a span on a row of its own from its first poll until it
//! ends or is dropped, and notes when it ran to its end. An aborted search is cancelled at its
//! sleep: its span closes when its task (or future) is dropped, but it never reaches its end.
//! Every call goes through `call_async`; no search may start before the call, and a search
//! that returned an answer did so inside it.
//!
//! - `the_first_hit_to_arrive_is_returned`: several shards find something; the hit of the one
//!   that finds it first is returned, although a shard earlier in the list has a slower hit
//!   and an empty shard answers before any hit. With no hit anywhere, `None`, once every
//!   search came back empty. Bitten by `in_order` (the starting file), `sequential` and
//!   `first_done` (returns whatever finishes first, even an empty answer).
//! - `the_hit_is_returned_as_soon_as_it_arrives`: one quick hit, every other search far
//!   slower: all searches were started before the hit came in (at once), and the call
//!   returned soon after the hit, long before the others could end. Bitten by `in_order`,
//!   `sequential` and `join_all` (waits for every search, then picks the earliest hit).
//! - `the_other_searches_are_stopped`: after the call, the check waits past the slowest
//!   search. Every search still pending when the call returned (started, not finished, its
//!   end still far off) must have been cancelled: its span closed without reaching its end,
//!   cut short, soon after the call returned; none may have run to its end after the call,
//!   and none may have been waited for to its end before it. Bitten by `detached`
//!   (`JoinSet::detach_all`), `handles_dropped` (keeps `JoinHandle`s and drops them without
//!   `abort`), `in_order`, `sequential` and `join_all`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use concur_kit::call::{call_async, Called};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::{now_us, Span, Trace};

use crate::exercise::first_hit;

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);
/// How long the check lets the runtime run after the call before it looks.
const SETTLE: Duration = Duration::from_millis(20);

type Search =
    Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = Option<String>> + Send>> + Send + Sync>;

/// One shard of a run: its name, how long its search takes, and its hit, if it has one.
#[derive(Clone)]
struct Shard {
    name: String,
    latency: Duration,
    hit: Option<String>,
}

/// The searches of one run: their spans (recorded when a search ends or is dropped), and
/// when each was first polled and when it ran to its end.
#[derive(Clone, Default)]
struct Log {
    trace: Trace,
    started: Arc<Mutex<Vec<(String, u64)>>>,
    finished: Arc<Mutex<Vec<(String, u64)>>>,
}

impl Log {
    /// The `search` handed to `first_hit`: each shard waits its latency inside a span, then
    /// answers its hit. A shard not in the plan answers `None` at once, and is still recorded.
    fn search(&self, shards: &[Shard]) -> Search {
        let log = self.clone();
        let plan: Arc<HashMap<String, Shard>> =
            Arc::new(shards.iter().map(|s| (s.name.clone(), s.clone())).collect());
        Box::new(move |name: String| {
            let log = log.clone();
            let shard = plan.get(&name).cloned();
            Box::pin(async move {
                let _row = Row::open(&log.trace, &name);
                {
                    let mut started = log.started.lock().unwrap_or_else(|e| e.into_inner());
                    started.push((name.clone(), now_us()));
                }
                let shard = shard?;
                tokio::time::sleep(shard.latency).await;
                log.finished.lock().unwrap_or_else(|e| e.into_inner()).push((name, now_us()));
                shard.hit
            })
        })
    }

    fn finished_at(&self, name: &str) -> Option<u64> {
        let finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        finished.iter().find(|(n, _)| n == name).map(|&(_, at)| at)
    }

    fn started(&self) -> Vec<(String, u64)> {
        self.started.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn started_at(&self, name: &str) -> Option<u64> {
        self.started().into_iter().find(|(n, _)| n == name).map(|(_, at)| at)
    }

    fn span(&self, name: &str) -> Option<Span> {
        self.trace.spans().into_iter().find(|s| s.label == name)
    }
}

/// `count` shard names only this run knows.
fn names(inputs: &mut Inputs, count: usize) -> Vec<String> {
    inputs.distinct(count, 10, 999).into_iter().map(|id| format!("shard {id}")).collect()
}

/// A hit only this run knows.
fn hit(inputs: &mut Inputs, shard: &str) -> Option<String> {
    let row = inputs.between(1, 999_999);
    Some(format!("found in {shard}: row {row}, key {:016x}", inputs.salt(row)))
}

fn ms(inputs: &mut Inputs, low: u64, high: u64) -> Duration {
    Duration::from_millis(inputs.between(low, high))
}

/// Calls `first_hit` on the shards (in their order), and checks what every check checks:
/// every search started inside the call, and every search that answered did so inside it.
async fn run(log: &Log, shards: &[Shard]) -> Called<Option<String>> {
    let names: Vec<String> = shards.iter().map(|s| s.name.clone()).collect();
    let called = call_async(
        &format!("first_hit of {} shards", shards.len()),
        DEADLINE,
        first_hit(names.clone(), log.search(shards)),
    )
    .await;
    // Aborted tasks are dropped when the runtime next runs them; let it, so that their spans
    // show in a picture. The call's window is already taken.
    tokio::time::sleep(SETTLE).await;
    let started = log.started();
    let early: Vec<&str> =
        started.iter().filter(|(_, at)| *at < called.start_us).map(|(n, _)| n.as_str()).collect();
    if !early.is_empty() {
        panic!("the searches of {early:?} started before first_hit was called");
    }
    let unknown: Vec<&str> =
        started.iter().filter(|(n, _)| !names.contains(n)).map(|(n, _)| n.as_str()).collect();
    if !unknown.is_empty() {
        panic!("first_hit searched {unknown:?}, which are not among the shards it was given");
    }
    let twice: Vec<&String> =
        names.iter().filter(|n| started.iter().filter(|(s, _)| s == *n).count() > 1).collect();
    if !twice.is_empty() {
        panic!("first_hit searched {twice:?} more than once: every shard must be searched once");
    }
    called
}

/// A plan's shards, described for a message.
fn describe(shards: &[Shard]) -> String {
    let parts: Vec<String> = shards
        .iter()
        .map(|s| {
            let what = if s.hit.is_some() { "a hit" } else { "nothing" };
            format!("{} finds {what} after {}", s.name, fmt_duration(s.latency))
        })
        .collect();
    parts.join(", ")
}

#[test]
async fn the_first_hit_to_arrive_is_returned() {
    let mut inputs = Inputs::new();
    // In the order given: a slow hit first, then (in a random order) an empty shard quicker
    // than any hit, the quickest hit, and empty shards slower than it.
    let count = inputs.between(4, 6) as usize;
    let names = names(&mut inputs, count);
    let winner = ms(&mut inputs, 90, 130);
    let shard = |name: &String, latency: Duration, hit: Option<String>| Shard {
        name: name.clone(),
        latency,
        hit,
    };
    let mut shards = vec![
        shard(&names[0], ms(&mut inputs, 220, 300), hit(&mut inputs, &names[0])),
        shard(&names[1], ms(&mut inputs, 15, 40), None),
        shard(&names[2], winner, hit(&mut inputs, &names[2])),
    ];
    for name in &names[3..] {
        shards.push(shard(name, ms(&mut inputs, 180, 260), None));
    }
    inputs.shuffle(&mut shards[1..]);
    let expected = shards.iter().find(|s| s.latency == winner).and_then(|s| s.hit.clone());
    let winner_name = shards.iter().find(|s| s.latency == winner).map(|s| s.name.clone());
    let log = Log::default();
    let called = run(&log, &shards).await;
    if called.value != expected {
        panic!(
            "first_hit returned {:?}, but {:?} was the first hit to arrive ({}). The hit to \
             return is the first to come in, not the first in the list, and an empty answer \
             that comes in earlier is no reason to stop.{}",
            called.value,
            expected.as_deref().unwrap_or_default(),
            describe(&shards),
            picture(&log.trace, "searches")
        );
    }
    let winner_name = winner_name.unwrap_or_default();
    if log.finished_at(&winner_name).is_none_or(|at| at > called.end_us) {
        panic!("{winner_name}'s search did not end before first_hit returned its hit");
    }

    let count = inputs.between(3, 5) as usize;
    let names = self::names(&mut inputs, count);
    let shards: Vec<Shard> = names
        .iter()
        .map(|name| Shard { name: name.clone(), latency: ms(&mut inputs, 20, 120), hit: None })
        .collect();
    let log = Log::default();
    let called = run(&log, &shards).await;
    if let Some(found) = &called.value {
        panic!(
            "no shard finds anything ({}), but first_hit returned Some({found:?})",
            describe(&shards)
        );
    }
    let unfinished: Vec<&str> = shards
        .iter()
        .filter(|s| log.finished_at(&s.name).is_none_or(|at| at > called.end_us))
        .map(|s| s.name.as_str())
        .collect();
    if !unfinished.is_empty() {
        panic!(
            "no shard finds anything ({}), and first_hit returned None before the searches of \
             {unfinished:?} had come back: None is the answer only once every search has come \
             back empty.{}",
            describe(&shards),
            picture(&log.trace, "searches")
        );
    }
}

#[test]
async fn the_hit_is_returned_as_soon_as_it_arrives() {
    let mut inputs = Inputs::new();
    let count = inputs.between(4, 6) as usize;
    let names = names(&mut inputs, count);
    let quick = ms(&mut inputs, 40, 80);
    // The hit is never first in the list: waiting for the shards in their order is slow.
    let at = inputs.between(1, count as u64 - 1) as usize;
    let shards: Vec<Shard> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if i == at {
                Shard { name: name.clone(), latency: quick, hit: hit(&mut inputs, name) }
            } else {
                Shard { name: name.clone(), latency: ms(&mut inputs, 800, 1000), hit: None }
            }
        })
        .collect();
    let slowest_other = shards.iter().map(|s| s.latency).max().unwrap_or_default();
    let fastest_other = shards.iter().filter(|s| s.latency != quick).map(|s| s.latency).min();
    let fastest_other = fastest_other.unwrap_or_default();
    let log = Log::default();
    let called = run(&log, &shards).await;
    let hitter = &shards[at];
    if called.value != hitter.hit {
        panic!(
            "first_hit returned {:?}, but only {} finds something ({}): its hit {:?} must be \
             returned",
            called.value,
            hitter.name,
            describe(&shards),
            hitter.hit.as_deref().unwrap_or_default()
        );
    }
    let hit_in = log.finished_at(&hitter.name).unwrap_or(called.end_us);
    let late: Vec<&str> = shards
        .iter()
        .filter(|s| log.started_at(&s.name).is_none_or(|at| at > hit_in))
        .map(|s| s.name.as_str())
        .collect();
    if !late.is_empty() {
        panic!(
            "the searches of {late:?} had not even started when {}'s hit came in, {} after \
             first_hit was called ({}): every shard must be searched at once, from the start.{}",
            hitter.name,
            fmt_duration(Duration::from_micros(hit_in.saturating_sub(called.start_us))),
            describe(&shards),
            picture(&log.trace, "searches")
        );
    }
    // Halfway between the hit and the quickest of the others.
    let bound = quick + (fastest_other - quick) / 2;
    if called.elapsed() >= bound {
        panic!(
            "first_hit returned {}'s hit after {}, but it came in after {}: it waited for \
             other searches (the slowest takes {}) first. Take the searches in the order they \
             finish, and return at the first hit.{}",
            hitter.name,
            fmt_duration(called.elapsed()),
            fmt_duration(quick),
            fmt_duration(slowest_other),
            picture(&log.trace, "searches")
        );
    }
}

#[test]
async fn the_other_searches_are_stopped() {
    let mut inputs = Inputs::new();
    let count = inputs.between(4, 6) as usize;
    let names = names(&mut inputs, count);
    let quick = ms(&mut inputs, 40, 80);
    let at = inputs.between(0, count as u64 - 1) as usize;
    let shards: Vec<Shard> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if i == at {
                Shard { name: name.clone(), latency: quick, hit: hit(&mut inputs, name) }
            } else {
                Shard { name: name.clone(), latency: ms(&mut inputs, 500, 700), hit: None }
            }
        })
        .collect();
    let log = Log::default();
    let called = run(&log, &shards).await;
    let hitter = &shards[at];
    assert_eq!(
        called.value, hitter.hit,
        "only {} finds something ({}), so first_hit must return its hit",
        hitter.name,
        describe(&shards)
    );
    // Give a search that was left running every chance to end.
    let slowest = shards.iter().map(|s| s.latency).max().unwrap_or_default();
    let wait = slowest + Duration::from_millis(150);
    tokio::time::sleep(wait).await;

    let returned_after = fmt_duration(called.elapsed());
    let mut waited_for = Vec::new();
    let mut ran_on = Vec::new();
    let mut never_started = Vec::new();
    let mut never_dropped = Vec::new();
    let mut dropped_late = Vec::new();
    for shard in shards.iter().filter(|s| s.name != hitter.name) {
        let name = shard.name.as_str();
        match (log.started_at(name), log.finished_at(name), log.span(name)) {
            (None, _, _) => never_started.push(name),
            (Some(_), Some(at), _) if at <= called.end_us => waited_for.push(name),
            (Some(_), Some(_), _) => ran_on.push(name),
            // Neither ended nor dropped: its future is kept somewhere, never polled again.
            (Some(_), None, None) => never_dropped.push(name),
            (Some(_), None, Some(span)) => {
                // Pending when first_hit returned (its own end still far off), then dropped:
                // it must have been cut off soon after, long before it would have ended. A
                // quarter of the time it had left is margin for a busy machine.
                let natural_end = span.start_us + shard.latency.as_micros() as u64;
                let cut_by = called.end_us + natural_end.saturating_sub(called.end_us) * 3 / 4;
                if span.end_us > cut_by {
                    dropped_late.push(format!(
                        "{name} was dropped {} after first_hit returned, {} before it would have \
                         ended",
                        fmt_duration(Duration::from_micros(span.end_us - called.end_us)),
                        fmt_duration(Duration::from_micros(natural_end.saturating_sub(span.end_us)))
                    ));
                }
            }
        }
    }
    let pic = || picture(&log.trace, "searches");
    if !ran_on.is_empty() {
        panic!(
            "first_hit returned {}'s hit after {returned_after}, but the searches of {ran_on:?} \
             ran on to their end after it had returned ({}). A task goes on when its JoinHandle \
             is dropped (or detached); the searches no longer needed must be aborted.{}",
            hitter.name,
            describe(&shards),
            pic()
        );
    }
    if !waited_for.is_empty() {
        panic!(
            "first_hit returned {}'s hit only after {returned_after}, and by then the searches \
             of {waited_for:?} had run to their end ({}): it waited for them instead of \
             returning at the hit. Once there is a hit the other searches are no longer \
             needed: return at once and stop them.{}",
            hitter.name,
            describe(&shards),
            pic()
        );
    }
    if !never_started.is_empty() {
        panic!(
            "first_hit returned {}'s hit after {returned_after}, and the searches of \
             {never_started:?} never started ({}): every shard must be searched at once.{}",
            hitter.name,
            describe(&shards),
            pic()
        );
    }
    if !never_dropped.is_empty() {
        panic!(
            "first_hit returned {}'s hit after {returned_after}; the searches of \
             {never_dropped:?} neither ran to their end nor were dropped, {} later: their futures \
             are kept somewhere and never polled again (leaked, not cancelled). Abort the tasks, \
             or drop the futures.{}",
            hitter.name,
            fmt_duration(wait),
            pic()
        );
    }
    if !dropped_late.is_empty() {
        panic!(
            "first_hit returned {}'s hit after {returned_after}; the other searches were \
             stopped, but late: {}. Abort them when the hit comes in.{}",
            hitter.name,
            dropped_late.join(", "),
            pic()
        );
    }
}
