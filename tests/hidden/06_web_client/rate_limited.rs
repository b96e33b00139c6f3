//! Hidden checks for `06_web_client/rate_limited`.
//!
//! The kit's mock API is started with `max_in_flight`: above that many requests in flight it
//! answers 429 with `Retry-After: 1` at once, and holds the requests it admits for 200 ms. A
//! client that sends every request at once gets some 429s, and its retries, a second later,
//! find the server free. The facts come from the server's log: the pause between each 429 and
//! the next request for the same path (a sleep never ends early, so a shorter pause is a fact,
//! not a race), and that every first attempt reached the server before the first user was
//! served (all requests sent at once; the server holds each admitted request 200 ms). The limit differs between
//! checks, so a client that hard-codes it gets 429s too.
//! `tests/variants/06_web_client/` holds a client that retries at once, one that does not
//! retry, and one that sends its requests one at a time.

use std::collections::BTreeMap;
use std::time::Duration;

use concur_kit::api::{ApiConfig, MockApi, RequestRecord};
use concur_kit::check::TIMELINE_WIDTH;

use crate::exercise::*;

const LATENCY: Duration = Duration::from_millis(200);
/// What the mock API's 429 answers say in `Retry-After`.
const RETRY_AFTER: Duration = Duration::from_secs(1);
/// Timestamps come from the system clock; allow this much for it.
const SLACK: Duration = Duration::from_millis(2);
/// A client that has not finished by then is stuck: a polite one needs about 1.2 s.
const DEADLINE: Duration = Duration::from_secs(6);

fn start_api(max_in_flight: usize) -> MockApi {
    MockApi::start(ApiConfig {
        latency: LATENCY,
        max_in_flight: Some(max_in_flight),
        ..ApiConfig::default()
    })
    .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

async fn fetch(api: &MockApi, ids: &[u32]) -> Vec<User> {
    match tokio::time::timeout(DEADLINE, fetch_users_politely(&api.url(), ids)).await {
        Ok(Ok(users)) => users,
        Ok(Err(error)) => panic!(
            "fetch_users_politely returned an error: {error}. The server answered 429 {} \
             time(s): a 429 means \"not now\", so wait as long as its Retry-After header says \
             and send the request again",
            count_429(&api.log())
        ),
        Err(_) => panic!(
            "fetch_users_politely did not finish within {DEADLINE:?}, although waiting out \
             one Retry-After is enough here; the server had answered {} request(s) by then",
            api.log().len()
        ),
    }
}

fn count_429(log: &[RequestRecord]) -> usize {
    log.iter().filter(|r| r.status == 429).count()
}

fn picture(api: &MockApi) -> String {
    format!("\n\ntimeline:\n{}", api.trace().timeline(TIMELINE_WIDTH))
}

#[test]
async fn every_user_arrives_despite_the_rate_limit() {
    let api = start_api(2);
    let ids = [8, 3, 5, 1];
    let users = fetch(&api, &ids).await;
    let got: Vec<u32> = users.iter().map(|u| u.id).collect();
    assert_eq!(
        got, ids,
        "fetch_users_politely({ids:?}) must return one user per id, in the order of the ids \
         (left: the ids of the users that came back, right: the ids asked for)"
    );
}

#[test]
async fn retries_wait_for_retry_after() {
    let api = start_api(3);
    let ids = [1, 2, 3, 4, 5];
    fetch(&api, &ids).await;
    let log = api.log();
    let mut by_path: BTreeMap<&str, Vec<&RequestRecord>> = BTreeMap::new();
    for record in &log {
        by_path.entry(record.path.as_str()).or_default().push(record);
    }
    let too_soon = by_path
        .iter()
        .flat_map(|(path, records)| records.windows(2).map(move |pair| (*path, pair[0], pair[1])))
        .filter(|(_, before, _)| before.status == 429)
        .map(|(path, before, after)| {
            (path, Duration::from_micros(after.start_us.saturating_sub(before.end_us)))
        })
        .filter(|(_, waited)| *waited + SLACK < RETRY_AFTER)
        .min_by_key(|(_, waited)| *waited);
    if let Some((path, waited)) = too_soon {
        panic!(
            "the retry of {path} came {} ms after its 429; the server said Retry-After: 1, so \
             wait at least 1 s before asking again. The server answered 429 {} times in all, to \
             {} requests{}",
            waited.as_millis(),
            count_429(&log),
            log.len(),
            if log.len() <= 40 { picture(&api) } else { String::new() }
        );
    }
}

#[test]
async fn all_requests_are_sent_at_once() {
    let api = start_api(3);
    let ids = [1, 2, 3, 4, 5, 6];
    fetch(&api, &ids).await;
    let log = api.log();
    let wanted = ids.len();
    // The first answer with a user in it; every first attempt must have been sent by then.
    let first_served = log.iter().filter(|r| r.status == 200).map(|r| r.end_us).min();
    let mut first_attempts: BTreeMap<&str, u64> = BTreeMap::new();
    for record in &log {
        first_attempts.entry(record.path.as_str()).or_insert(record.start_us);
    }
    let sent_early = first_attempts
        .values()
        .filter(|start| first_served.is_some_and(|served| **start < served))
        .count();
    if api.peak_in_flight() == 1 {
        panic!(
            "requests ran one at a time: peak in flight 1, expected {wanted}. Send them all \
             at once, and let the server's 429 answers tell you when to slow down{}",
            picture(&api)
        );
    }
    if sent_early < wanted {
        panic!(
            "only {sent_early} of the {wanted} requests were sent before the first answer \
             came back; the others waited for it. Send them all at once, and let the \
             server's 429 answers tell you when to slow down (its limit is not always the \
             same){}",
            picture(&api)
        );
    }
}
