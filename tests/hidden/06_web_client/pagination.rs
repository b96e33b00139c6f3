//! Hidden checks for `06_web_client/pagination`.
//!
//! The kit's mock API serves users 1..=N in pages with `next` links, `null` on the last. N,
//! the page size and the API's salt are drawn per run (`Inputs`), so neither the number of
//! pages nor the users can be written down in advance. The facts: every user comes back once,
//! in order, as the server sent it, and the server's log holds each page exactly once and no
//! page past the last, both when the last page is short and when it is full (a page size that
//! divides N: a client that stops at the first short page asks for one page too many). A
//! client that never stops gets a deadline and a message.
//! `tests/variants/06_web_client/` holds a client that stops only at an empty page, one that
//! stops at the first short page, and one that counts the pages from 100 users.

use std::collections::BTreeMap;
use std::time::Duration;

use concur_kit::api::{content, ApiConfig, MockApi};
use concur_kit::seed::Inputs;

use crate::exercise::*;

/// A client that has not finished by then is stuck: the pages take about 20 ms each.
const DEADLINE: Duration = Duration::from_secs(5);

fn start_api(users: u32, salt: u64) -> MockApi {
    MockApi::start(ApiConfig { latency: Duration::from_millis(20), users, salt, ..ApiConfig::default() })
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
async fn every_user_arrives_in_order() {
    let mut inputs = Inputs::new();
    // More pages than the 100 users of `concur run` fill, so a page count worked out from 100
    // falls short.
    let per_page = inputs.between(7, 15) as u32;
    let users = per_page * 100u32.div_ceil(per_page) + inputs.between(1, 60) as u32;
    let salt = inputs.salt(1);
    let api = start_api(users, salt);
    let got_users = fetch(&api, per_page).await;
    let got: Vec<u32> = got_users.iter().map(|u| u.id).collect();
    let expected: Vec<u32> = (1..=users).collect();
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
            "fetch_all_users(per_page {per_page}) must return users 1 to {users} in order (this \
             server has {users}), but it returned {} users; {problem} (the server answered {} \
             page requests)",
            got.len(),
            api.log().len()
        );
    }
    let texts = content(salt, users);
    for user in &got_users {
        let expected = User { id: user.id, name: texts.user_name(user.id), email: texts.user_email(user.id) };
        assert_eq!(
            *user, expected,
            "user {} is not the one the server's pages held (left: what came back, right: what \
             the server sent)",
            user.id
        );
    }
}

/// Fetches all users of a server with `users` users, `per_page` a page, and checks the
/// server's log: only pages of users, each page once, none past the last.
async fn check_pages(users: u32, per_page: u32) {
    let api = start_api(users, 0);
    let last_page = users.div_ceil(per_page);
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
    let full = if users % per_page == 0 {
        format!(" (it was full: {users} users, {per_page} a page)")
    } else {
        String::new()
    };
    if let Some(page) = asked.keys().find(|page| **page > last_page) {
        panic!(
            "page {page} was requested, but page {last_page} said `next: null`: it was the \
             last one{full}. Stop when `next` is null. Requests: {requests:?}"
        );
    }
    if let Some((page, times)) = asked.iter().find(|(_, times)| **times > 1) {
        panic!("page {page} was requested {times} times; each page once is enough. Requests: {requests:?}");
    }
    if let Some(page) = (1..=last_page).find(|page| !asked.contains_key(page)) {
        panic!("page {page} of {last_page} was never requested. Requests: {requests:?}");
    }
}

#[test]
async fn each_page_is_requested_once() {
    let mut inputs = Inputs::new();
    let per_page = inputs.between(16, 30) as u32;
    // The last page is short: not a multiple of per_page; more pages than the 100 users of
    // `concur run` fill, so a page count worked out from 100 falls short.
    let full_pages = 100u32.div_ceil(per_page) + inputs.between(0, 1) as u32;
    let users = per_page * full_pages + inputs.between(1, u64::from(per_page) - 1) as u32;
    check_pages(users, per_page).await;
}

#[test]
async fn a_full_last_page_is_the_last() {
    let mut inputs = Inputs::new();
    let per_page = inputs.between(6, 20) as u32;
    // The last page is full; more pages than the 100 users of `concur run` fill.
    let users = per_page * (100 / per_page + 1 + inputs.between(1, 2) as u32);
    check_pages(users, per_page).await;
}
