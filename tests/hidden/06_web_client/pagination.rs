//! Hidden checks for `06_web_client/pagination`.
//!
//! The kit's mock API serves users 1..=100 in pages with `next` links, `null` on the last. The
//! facts: every user comes back once, in order, and the server's log holds each page exactly
//! once and no page past the last. A client that never stops gets a deadline and a message.
//! `tests/variants/06_web_client/` holds a client that stops only at an empty page.

use std::collections::BTreeMap;
use std::time::Duration;

use concur_kit::api::{ApiConfig, MockApi, USERS};

use crate::exercise::*;

/// A client that has not finished by then is stuck: the pages take about 20 ms each.
const DEADLINE: Duration = Duration::from_secs(5);

fn start_api() -> MockApi {
    MockApi::start(ApiConfig { latency: Duration::from_millis(20), ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

async fn fetch(api: &MockApi, per_page: u32) -> Vec<User> {
    let client = reqwest::Client::new();
    match tokio::time::timeout(DEADLINE, fetch_all_users(&client, &api.url(), per_page)).await {
        Ok(Ok(users)) => users,
        Ok(Err(error)) => panic!("fetch_all_users(per_page {per_page}) returned an error: {error}"),
        Err(_) => panic!(
            "fetch_all_users(per_page {per_page}) was still going after {DEADLINE:?}, with {} \
             page requests sent: does the loop stop when `next` is null?",
            api.log().len()
        ),
    }
}

/// The `page` a request asked for (the first page when the query names none).
fn page_of(path: &str) -> Option<u32> {
    let query = path.strip_prefix("/users")?.strip_prefix('?').unwrap_or("");
    let page = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "page")
        .map(|(_, value)| value.parse().ok());
    match page {
        None => Some(1),
        Some(number) => number,
    }
}

#[test]
async fn all_100_users_arrive_in_order() {
    let api = start_api();
    let users = fetch(&api, 10).await;
    let got: Vec<u32> = users.iter().map(|u| u.id).collect();
    let expected: Vec<u32> = (1..=USERS).collect();
    if got != expected {
        let first_wrong = got.iter().zip(&expected).position(|(g, e)| g != e);
        let problem = match first_wrong {
            Some(at) => format!("the user at position {at} has id {}", got[at]),
            None if got.len() < expected.len() => format!(
                "the last one has id {}: were the `next` links followed to the end?",
                got.last().copied().unwrap_or(0)
            ),
            None => "more than there are".to_string(),
        };
        panic!(
            "fetch_all_users(per_page 10) must return users 1 to {USERS} in order, but it \
             returned {} users; {problem} (the server answered {} page requests)",
            got.len(),
            api.log().len()
        );
    }
}

#[test]
async fn each_page_is_requested_once() {
    let api = start_api();
    let per_page = 30;
    let last_page = USERS.div_ceil(per_page);
    fetch(&api, per_page).await;
    let log = api.log();
    let mut asked: BTreeMap<u32, usize> = BTreeMap::new();
    for record in &log {
        match page_of(&record.path) {
            Some(page) => *asked.entry(page).or_default() += 1,
            None => panic!(
                "GET {} is not a page of users; fetch_all_users should only follow the `next` \
                 links, starting from /users?per_page={per_page}",
                record.path
            ),
        }
    }
    let requests: Vec<&str> = log.iter().map(|r| r.path.as_str()).collect();
    if let Some(page) = asked.keys().find(|page| **page > last_page) {
        panic!(
            "page {page} was requested, but page {last_page} said `next: null`: it was the \
             last one. Stop when `next` is null. Requests: {requests:?}"
        );
    }
    if let Some((page, times)) = asked.iter().find(|(_, times)| **times > 1) {
        panic!("page {page} was requested {times} times; each page once is enough. Requests: {requests:?}");
    }
    if let Some(page) = (1..=last_page).find(|page| !asked.contains_key(page)) {
        panic!("page {page} of {last_page} was never requested. Requests: {requests:?}");
    }
}
