//! Hidden checks for `06_web_client/rate_limited`.
//!
//! The kit's mock API is started with `max_in_flight`: above that many requests in flight it
//! answers 429 with `Retry-After` (1 s, or 2 s in `retries_wait_for_retry_after`, so a
//! client that waits a fixed second instead of reading the header fails) at once, and holds the requests it admits for 200 ms. A
//! client that sends every request at once gets some 429s, and its retries, a second later,
//! find the server free. The facts come from the server's log: the pause between each 429 and
//! the next request for the same path (a sleep never ends early, so a shorter pause is a fact,
//! not a race), and that every first attempt reached the server before the first user was
//! served (all requests sent at once; the server holds each admitted request 200 ms). The limit differs between
//! checks, so a client that hard-codes it gets 429s too. The ids and the API's salt are drawn
//! per run, so the users that come back cannot be made up from the ids. A ticker on the
//! check's (current_thread) runtime proves that a waiting retry holds up no other task (a
//! `std::thread::sleep` of the Retry-After stops them all).
//! `tests/variants/06_web_client/` holds a client that retries at once, one that does not
//! retry, one that sends its requests one at a time, one that waits a fixed second, one that
//! waits with a blocking sleep, and one that makes up a user for a 429.

use std::collections::BTreeMap;
use std::time::Duration;

use concur_kit::api::{content, ApiConfig, MockApi, RequestRecord, USERS};
use concur_kit::check::TIMELINE_WIDTH;
use concur_kit::seed::Inputs;
use concur_kit::ticker::{assert_responsive, Ticker, PERIOD};

use crate::exercise::*;

const LATENCY: Duration = Duration::from_millis(200);
/// What the mock API's 429 answers say in `Retry-After`, unless a check says otherwise.
const RETRY_AFTER: Duration = Duration::from_secs(1);
/// The `Retry-After` of `retries_wait_for_retry_after`: not the 1 s a client might hard-code.
const LONG_RETRY_AFTER: Duration = Duration::from_secs(2);
/// The longest the runtime may go without running the ticker: well under one Retry-After, far
/// above what a busy machine adds.
const MAX_GAP: Duration = Duration::from_millis(500);
/// Timestamps come from the system clock; allow this much for it.
const SLACK: Duration = Duration::from_millis(2);
/// A client that has not finished by then is stuck: a polite one needs about 1.2 s (2.2 s
/// with the long Retry-After).
const DEADLINE: Duration = Duration::from_secs(8);

fn start_api(max_in_flight: usize) -> MockApi {
    start_api_with(max_in_flight, RETRY_AFTER, 0)
}

fn start_api_with(max_in_flight: usize, retry_after: Duration, salt: u64) -> MockApi {
    MockApi::start(ApiConfig {
        latency: LATENCY,
        max_in_flight: Some(max_in_flight),
        retry_after_secs: retry_after.as_secs(),
        salt,
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
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let limit = inputs.between(2, 3) as usize;
    let n = limit + inputs.between(2, 3) as usize;
    let ids: Vec<u32> = inputs.distinct(n, 1, u64::from(USERS)).into_iter().map(|id| id as u32).collect();
    let api = start_api_with(limit, RETRY_AFTER, salt);
    let users = fetch(&api, &ids).await;
    let got: Vec<u32> = users.iter().map(|u| u.id).collect();
    assert_eq!(
        got, ids,
        "fetch_users_politely({ids:?}) must return one user per id, in the order of the ids \
         (left: the ids of the users that came back, right: the ids asked for)"
    );
    let texts = content(salt, USERS);
    for user in &users {
        let expected = User { id: user.id, name: texts.user_name(user.id), email: texts.user_email(user.id) };
        assert_eq!(
            *user, expected,
            "user {} is not what the server sent for GET /users/{} (left: what came back, \
             right: the server's answer; the server answered 429 {} time(s)): every user must \
             be the body of a 200 answer, not made up",
            user.id,
            user.id,
            count_429(&api.log())
        );
    }
}

#[test]
async fn retries_wait_for_retry_after() {
    let api = start_api_with(3, LONG_RETRY_AFTER, 0);
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
        .filter(|(_, waited)| *waited + SLACK < LONG_RETRY_AFTER)
        .min_by_key(|(_, waited)| *waited);
    if let Some((path, waited)) = too_soon {
        panic!(
            "the retry of {path} came {} ms after its 429; the server said Retry-After: {}, so \
             wait at least {} s before asking again (read the header: it is not always 1). The \
             server answered 429 {} times in all, to {} requests{}",
            waited.as_millis(),
            LONG_RETRY_AFTER.as_secs(),
            LONG_RETRY_AFTER.as_secs(),
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

#[test]
async fn a_waiting_retry_holds_up_no_other_task() {
    let api = start_api(2);
    let ids = [4, 9, 2, 7, 5];
    let ticker = Ticker::start(PERIOD);
    // Lets the ticker take its first tick before the call can block the thread.
    tokio::time::sleep(PERIOD * 2).await;
    fetch(&api, &ids).await;
    let gap = ticker.stop().await;
    let log = api.log();
    if count_429(&log) == 0 {
        panic!(
            "the server never answered 429 to the {} requests, so no retry waited; send them \
             all at once{}",
            log.len(),
            picture(&api)
        );
    }
    assert_responsive(
        gap,
        MAX_GAP,
        &format!(
            "fetch_users_politely waited out {} answer(s) 429 with Retry-After: {}",
            count_429(&log),
            RETRY_AFTER.as_secs()
        ),
    );
}
