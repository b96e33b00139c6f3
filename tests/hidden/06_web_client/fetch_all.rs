//! Hidden checks for `06_web_client/fetch_all`.
//!
//! The learner's client talks to the kit's mock API, started in-process on its own runtime.
//! Every request is held for a known latency, so the sequential cost is known exactly
//! (10 × 200 ms = 2 s); the primary fact is the peak number of requests in flight at the API,
//! the wall-clock bound is secondary and generous (halfway between the ideal and the sequential
//! time), and every request the server logged must lie inside the call. The ids and the API's
//! salt are drawn per run, so the users cannot be made up from the ids. A ticker on the
//! check's (current_thread) runtime proves the requests do not block its thread: the
//! statement allows `spawn_blocking`, not blocking calls (threads joined, `reqwest::blocking`)
//! on the runtime itself. `tests/variants/06_web_client/` holds a sequential client each
//! timing check must reject, and one that joins a std thread per request.

use std::time::Duration;

use concur_kit::api::{content, ApiConfig, MockApi, USERS};
use concur_kit::call::call_async;
use concur_kit::check::{assert_wall_below, TIMELINE_WIDTH};
use concur_kit::seed::Inputs;
use concur_kit::ticker::{assert_responsive, Ticker, PERIOD};
use concur_kit::timeline::fmt_duration;

use crate::exercise::{fetch_users, User};

const LATENCY: Duration = Duration::from_millis(200);
const IDS: [u32; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/// The latency of `the_runtime_keeps_running_meanwhile`: a request that blocks the runtime
/// blocks it this long, far above what a busy machine adds to a tick.
const BLOCKING_LATENCY: Duration = Duration::from_millis(500);
/// The longest the runtime may go without running the ticker.
const MAX_GAP: Duration = Duration::from_millis(250);
/// A client that has not finished by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

fn start_api(latency: Duration) -> MockApi {
    start_api_with(latency, 0)
}

fn start_api_with(latency: Duration, salt: u64) -> MockApi {
    MockApi::start(ApiConfig { latency, salt, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

async fn fetch(api: &MockApi, ids: &[u32]) -> Vec<User> {
    match tokio::time::timeout(DEADLINE, fetch_users(&api.url(), ids)).await {
        Ok(Ok(users)) => users,
        Ok(Err(error)) => panic!("fetch_users returned an error: {error}"),
        Err(_) => panic!(
            "fetch_users did not finish within {DEADLINE:?}, although the API answers \
             every request in well under a second"
        ),
    }
}

/// Requests in flight at once, with the API's timeline for the message.
fn in_flight_report(api: &MockApi) -> (usize, String) {
    (api.peak_in_flight(), api.trace().timeline(TIMELINE_WIDTH))
}

#[test]
async fn users_come_back_in_the_order_of_ids() {
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let api = start_api_with(Duration::from_millis(20), salt);
    let n = inputs.between(5, 8) as usize;
    let mut ids: Vec<u32> = inputs.distinct(n, 1, u64::from(USERS)).into_iter().map(|id| id as u32).collect();
    // One id twice: each is its own request and its own place in the answer.
    let twice = ids[inputs.between(0, n as u64 - 1) as usize];
    ids.push(twice);
    inputs.shuffle(&mut ids);
    let users = fetch(&api, &ids).await;
    let got: Vec<(u32, &str, &str)> =
        users.iter().map(|u| (u.id, u.name.as_str(), u.email.as_str())).collect();
    let texts = content(salt, USERS);
    let expected: Vec<(u32, String, String)> = ids
        .iter()
        .map(|id| (*id, texts.user_name(*id), texts.user_email(*id)))
        .collect();
    let expected: Vec<(u32, &str, &str)> =
        expected.iter().map(|(id, name, email)| (*id, name.as_str(), email.as_str())).collect();
    assert_eq!(
        got, expected,
        "fetch_users({ids:?}) must return one user per id, in the order of the ids, as the \
         server sent them (left: what came back, right: the server's answers)"
    );
}

#[test]
async fn requests_are_in_flight_together() {
    let api = start_api(LATENCY);
    fetch(&api, &IDS).await;
    let (peak, timeline) = in_flight_report(&api);
    let wanted = IDS.len();
    if peak == 1 {
        panic!(
            "requests ran one at a time: peak in flight 1, expected {wanted}. Each request \
             was awaited before the next one was sent.\n\ntimeline:\n{timeline}"
        );
    }
    assert!(
        peak >= wanted,
        "only {peak} requests were in flight at once, expected all {wanted}.\n\ntimeline:\n{timeline}"
    );
}

/// Halfway between the ideal time and one after another.
fn halfway(ideal: Duration, sequential: Duration) -> Duration {
    ideal + sequential.saturating_sub(ideal) / 2
}

#[test]
async fn all_users_arrive_well_within_the_sequential_time() {
    let api = start_api(LATENCY);
    let called = call_async("fetch_users", DEADLINE, fetch_users(&api.url(), &IDS)).await;
    if let Err(error) = &called.value {
        panic!("fetch_users returned an error: {error}");
    }
    let log = api.log();
    if let Some(outside) = log.iter().find(|r| r.start_us < called.start_us || r.end_us > called.end_us) {
        panic!(
            "the server served GET {} outside the call of fetch_users: every request must be \
             sent and answered while fetch_users runs",
            outside.path
        );
    }
    if log.len() < IDS.len() {
        panic!(
            "the server saw {} requests for the {} ids; every user must come from a request",
            log.len(),
            IDS.len()
        );
    }
    let sequential = LATENCY * IDS.len() as u32;
    assert_wall_below(
        called.elapsed(),
        halfway(LATENCY, sequential),
        sequential,
        &format!("{} requests of {}", IDS.len(), fmt_duration(LATENCY)),
    );
}

#[test]
async fn the_runtime_keeps_running_meanwhile() {
    let api = start_api(BLOCKING_LATENCY);
    let ids = [3, 1, 4];
    let ticker = Ticker::start(PERIOD);
    // Lets the ticker take its first tick before the call can block the thread.
    tokio::time::sleep(PERIOD * 2).await;
    fetch(&api, &ids).await;
    let gap = ticker.stop().await;
    assert_responsive(
        gap,
        MAX_GAP,
        &format!(
            "fetch_users waited for {} requests of {} each",
            ids.len(),
            fmt_duration(BLOCKING_LATENCY)
        ),
    );
}
