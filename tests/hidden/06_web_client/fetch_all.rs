//! Hidden checks for `06_web_client/fetch_all`.
//!
//! The learner's client talks to the kit's mock API, started in-process on its own runtime.
//! Every request is held for a known latency, so the sequential cost is known exactly
//! (10 × 200 ms = 2 s); the primary fact is the peak number of requests in flight at the API,
//! the wall-clock bound is secondary and generous. `tests/variants/06_web_client/` holds a
//! sequential client each timing check must reject.

use std::time::{Duration, Instant};

use concur_kit::api::{ApiConfig, MockApi};
use concur_kit::check::{assert_wall_below, TIMELINE_WIDTH};

use crate::exercise::{fetch_users, User};

const LATENCY: Duration = Duration::from_millis(200);
const IDS: [u32; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/// Far above the ideal 200 ms of 10 concurrent requests, half the 2 s of one after another.
const WALL_BOUND: Duration = Duration::from_secs(1);
/// A client that has not finished by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

fn start_api(latency: Duration) -> MockApi {
    MockApi::start(ApiConfig { latency, ..ApiConfig::default() })
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
    let api = start_api(Duration::from_millis(20));
    let ids = [7, 3, 42, 1, 99, 3];
    let users = fetch(&api, &ids).await;
    let got: Vec<(u32, &str, &str)> =
        users.iter().map(|u| (u.id, u.name.as_str(), u.email.as_str())).collect();
    let expected: Vec<(u32, String, String)> = ids
        .iter()
        .map(|id| (*id, format!("User {id}"), format!("user{id}@example.test")))
        .collect();
    let expected: Vec<(u32, &str, &str)> =
        expected.iter().map(|(id, name, email)| (*id, name.as_str(), email.as_str())).collect();
    assert_eq!(
        got, expected,
        "fetch_users({ids:?}) must return one user per id, in the order of the ids \
         (left: what came back, right: what was expected)"
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

#[test]
async fn all_users_arrive_well_within_the_sequential_time() {
    let api = start_api(LATENCY);
    let started = Instant::now();
    fetch(&api, &IDS).await;
    let sequential = LATENCY * IDS.len() as u32;
    assert_wall_below(started.elapsed(), WALL_BOUND, sequential, "10 requests of 200 ms");
}
