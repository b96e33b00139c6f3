//! Hidden checks for `06_web_client/limit_concurrency`.
//!
//! The learner's client fetches users from the kit's mock API with a concurrency limit. Every
//! request is held for a known latency, so requests that run together overlap at the server
//! for tens of milliseconds; the facts are the server's peak in flight (never above the limit,
//! and reaching it). The limit differs between checks, so a hard-coded number does not pass.
//! `tests/variants/06_web_client/` holds a client without a limit and one limited to 1.

use std::time::Duration;

use concur_kit::api::{ApiConfig, MockApi};
use concur_kit::check::TIMELINE_WIDTH;

use crate::exercise::*;

const LATENCY: Duration = Duration::from_millis(100);
/// A client that has not finished by then is stuck; sequentially the longest check takes 1.5 s.
const DEADLINE: Duration = Duration::from_secs(6);

fn start_api(latency: Duration) -> MockApi {
    MockApi::start(ApiConfig { latency, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

async fn fetch(api: &MockApi, ids: &[u32], limit: usize) -> Vec<User> {
    match tokio::time::timeout(DEADLINE, fetch_users_limited(&api.url(), ids, limit)).await {
        Ok(Ok(users)) => users,
        Ok(Err(error)) => panic!("fetch_users_limited returned an error: {error}"),
        Err(_) => panic!(
            "fetch_users_limited({} ids, limit {limit}) did not finish within {DEADLINE:?}, \
             although even one request at a time would take {:?}; is a task waiting for a \
             permit that is never given back?",
            ids.len(),
            LATENCY * ids.len() as u32
        ),
    }
}

fn timeline(api: &MockApi) -> String {
    api.trace().timeline(TIMELINE_WIDTH)
}

#[test]
async fn users_come_back_in_the_order_of_ids() {
    let api = start_api(Duration::from_millis(20));
    let ids = [7, 3, 42, 1, 99, 3, 15, 60];
    let users = fetch(&api, &ids, 3).await;
    let got: Vec<u32> = users.iter().map(|u| u.id).collect();
    assert_eq!(
        got, ids,
        "fetch_users_limited({ids:?}, limit 3) must return one user per id, in the order of \
         the ids (left: the ids of the users that came back, right: the ids asked for)"
    );
    for user in &users {
        assert_eq!(
            (user.name.as_str(), user.email.as_str()),
            (format!("User {}", user.id).as_str(), format!("user{}@example.test", user.id).as_str()),
            "user {} came back with the wrong name or email",
            user.id
        );
    }
}

#[test]
async fn never_more_than_the_limit_in_flight() {
    let api = start_api(LATENCY);
    let limit = 3;
    let ids: Vec<u32> = (1..=12).collect();
    fetch(&api, &ids, limit).await;
    let peak = api.peak_in_flight();
    if peak > limit {
        panic!(
            "{peak} requests were in flight at the same time, but the limit was {limit}: every \
             request must wait until fewer than {limit} others are in flight.\n\ntimeline:\n{}",
            timeline(&api)
        );
    }
}

#[test]
async fn the_limit_is_used_fully() {
    let api = start_api(LATENCY);
    let limit = 5;
    let ids: Vec<u32> = (1..=15).collect();
    fetch(&api, &ids, limit).await;
    let peak = api.peak_in_flight();
    if peak == 1 {
        panic!(
            "requests ran one at a time: peak in flight 1, expected {limit} (the limit). The \
             limit is how many may run together, not a reason to run them one by \
             one.\n\ntimeline:\n{}",
            timeline(&api)
        );
    }
    if peak < limit {
        panic!(
            "at most {peak} requests were in flight at the same time, but the limit was \
             {limit}: {limit} may run together.\n\ntimeline:\n{}",
            timeline(&api)
        );
    }
}
