//! Hidden checks for `06_web_client/retry_backoff`.
//!
//! The kit's mock API fails on purpose: with `fail_every: N`, every Nth request answers 500.
//! With N = 2 and one request of the check's own first, the learner's first attempt fails and
//! the second succeeds; with N = 1 every attempt fails. The facts come from the server's log:
//! how many requests the learner made, and the pause between the end of each 500 and the next
//! attempt. A sleep never ends early, so a pause shorter than the backoff is a fact, not a
//! race (a little slack covers the two clocks involved). The waits of
//! `the_wait_doubles_after_each_failure` are also bounded from above (each at most `LATE` over
//! its backoff), so a backoff of the client's own instead of `retry.backoff` fails one check or
//! another. A ticker on the check's (current_thread) runtime proves that a waiting retry blocks
//! no other task. The user's id and the API's salt are drawn per run.
//! `tests/variants/06_web_client/` holds clients that never retry, retry at once, always wait
//! the same, retry a 404, wait 100 ms doubling instead of `retry.backoff`, and wait with a
//! blocking sleep.

use std::time::Duration;

use concur_kit::api::{content, ApiConfig, MockApi, RequestRecord, USERS};
use concur_kit::check::TIMELINE_WIDTH;
use concur_kit::seed::Inputs;
use concur_kit::ticker::{assert_responsive, Ticker, PERIOD};

use crate::exercise::*;

/// A client that has not returned by then is stuck (or retrying without end).
const DEADLINE: Duration = Duration::from_secs(5);
/// Timestamps come from the system clock; allow this much for it.
const SLACK: Duration = Duration::from_millis(2);
/// How much longer than its backoff a wait may take: far above what a busy machine adds to a
/// sleep and a request (a loaded 2-core machine has been seen to add 300 ms), below the wait
/// after the next doubling.
const LATE: Duration = Duration::from_millis(350);
/// The longest the runtime may go without running the ticker: well under the 400 ms backoff
/// of `a_waiting_retry_blocks_no_other_task`.
const MAX_GAP: Duration = Duration::from_millis(250);

fn start_api(fail_every: u32) -> MockApi {
    start_api_with(fail_every, 0)
}

fn start_api_with(fail_every: u32, salt: u64) -> MockApi {
    MockApi::start(ApiConfig { fail_every: Some(fail_every), salt, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

/// With `fail_every: 2`, uses up request number 1, so the learner's first attempt is number 2.
async fn prime(api: &MockApi) {
    let answer = reqwest::get(format!("{}/posts/1", api.url())).await;
    if let Err(error) = answer {
        panic!("could not prime the mock API (not your code): {error}");
    }
}

async fn call(api: &MockApi, path: &str, retry: Retry) -> Result<User, reqwest::Error> {
    let client = reqwest::Client::new();
    let url = format!("{}{path}", api.url());
    match tokio::time::timeout(DEADLINE, get_user_with_retry(&client, &url, retry)).await {
        Ok(result) => result,
        Err(_) => panic!(
            "get_user_with_retry(GET {path}, {retry:?}) was still going after {DEADLINE:?}, \
             with {} requests sent so far: does it stop after `retry.attempts` attempts?",
            requests_to(api, path).len()
        ),
    }
}

/// The learner's requests to `path`, in order of arrival.
fn requests_to(api: &MockApi, path: &str) -> Vec<RequestRecord> {
    api.log().into_iter().filter(|r| r.path == path).collect()
}

/// The pause between the end of `before` and the start of `after`.
fn pause(before: &RequestRecord, after: &RequestRecord) -> Duration {
    Duration::from_micros(after.start_us.saturating_sub(before.end_us))
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

fn picture(api: &MockApi) -> String {
    format!("\n\ntimeline:\n{}", api.trace().timeline(TIMELINE_WIDTH))
}

#[test]
async fn a_500_is_retried_until_it_succeeds() {
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let id = inputs.between(1, u64::from(USERS)) as u32;
    let path = format!("/users/{id}");
    let api = start_api_with(2, salt);
    prime(&api).await;
    let retry = Retry { attempts: 3, backoff: Duration::from_millis(50) };
    let result = call(&api, &path, retry).await;
    let sent = requests_to(&api, &path);
    let name = content(salt, USERS).user_name(id);
    match result {
        Ok(user) => assert_eq!(
            (user.id, user.name.as_str()),
            (id, name.as_str()),
            "GET {path} gave another user than the server sent (left: what came back, right: \
             the server's answer)"
        ),
        Err(error) => panic!(
            "the first attempt at GET {path} got a 500 and the second would have succeeded, \
             but get_user_with_retry sent {} request(s) and returned an error: {error}. A 500 \
             is worth another attempt",
            sent.len()
        ),
    }
    if sent.len() != 2 {
        panic!(
            "GET {path} failed once with 500, then succeeded: that is 2 requests, but {} \
             were sent",
            sent.len()
        );
    }
}

#[test]
async fn the_retry_waits_for_the_backoff() {
    let api = start_api(2);
    prime(&api).await;
    let backoff = Duration::from_millis(150);
    let retry = Retry { attempts: 3, backoff };
    let result = call(&api, "/users/8", retry).await;
    let sent = requests_to(&api, "/users/8");
    let (Some(failed), Some(again)) = (sent.first(), sent.get(1)) else {
        panic!(
            "the first attempt at GET /users/8 got a 500, but no retry followed ({}); retry a \
             500 after waiting {}",
            match &result {
                Ok(_) => "yet a user came back".to_string(),
                Err(error) => format!("the error returned: {error}"),
            },
            ms(backoff)
        );
    };
    let waited = pause(failed, again);
    if waited + SLACK < backoff {
        panic!(
            "the retry came {} after the 500; wait at least {} (retry.backoff) before \
             retrying{}",
            ms(waited),
            ms(backoff),
            picture(&api)
        );
    }
}

#[test]
async fn the_wait_doubles_after_each_failure() {
    let api = start_api(1);
    // Longer than any backoff a learner would pick of their own (the statement's example is
    // 100 ms), so a wait of one's own comes too early, which no load can hide.
    let backoff = Duration::from_millis(250);
    let retry = Retry { attempts: 4, backoff };
    let _ = call(&api, "/users/3", retry).await;
    let sent = requests_to(&api, "/users/3");
    if sent.len() < 4 {
        panic!(
            "every request fails with 500 here, so all 4 attempts must be made, but only {} \
             request(s) came{}",
            sent.len(),
            picture(&api)
        );
    }
    let wanted = [backoff, backoff * 2, backoff * 4];
    let pauses: Vec<Duration> = sent.windows(2).map(|p| pause(&p[0], &p[1])).collect();
    for (n, (waited, wanted)) in pauses.iter().zip(wanted).enumerate() {
        if *waited + SLACK < wanted {
            panic!(
                "retry {} came {} after the previous 500, but it must wait at least {}: the \
                 backoff doubles after each failure, so the waits are {}, {}, {}. Pauses \
                 seen: {}{}",
                n + 1,
                ms(*waited),
                ms(wanted),
                ms(backoff),
                ms(backoff * 2),
                ms(backoff * 4),
                pauses.iter().map(|p| ms(*p)).collect::<Vec<_>>().join(", "),
                picture(&api)
            );
        }
        if *waited > wanted + LATE {
            panic!(
                "retry {} came {} after the previous 500, but retry.backoff is {}, so that \
                 wait is {}: the waits are {}, {}, {}, counted from retry.backoff, not from a \
                 time of your own. Pauses seen: {}{}",
                n + 1,
                ms(*waited),
                ms(backoff),
                ms(wanted),
                ms(backoff),
                ms(backoff * 2),
                ms(backoff * 4),
                pauses.iter().map(|p| ms(*p)).collect::<Vec<_>>().join(", "),
                picture(&api)
            );
        }
    }
}

#[test]
async fn it_gives_up_after_the_given_attempts() {
    let api = start_api(1);
    let retry = Retry { attempts: 3, backoff: Duration::from_millis(20) };
    let result = call(&api, "/users/4", retry).await;
    let sent = requests_to(&api, "/users/4").len();
    match result {
        Err(error) if error.status().map(|s| s.as_u16()) == Some(500) => {}
        Err(error) => panic!(
            "every attempt at GET /users/4 answers 500, so the error returned must be that 500, \
             but it was: {error}"
        ),
        Ok(user) => panic!("every attempt at GET /users/4 answers 500, but Ok({user:?}) came back"),
    }
    if sent != 3 {
        panic!(
            "every attempt at GET /users/4 answers 500 and retry.attempts is 3, so exactly 3 \
             requests must be sent, but {sent} {} sent",
            if sent == 1 { "was" } else { "were" }
        );
    }
}

#[test]
async fn a_404_is_not_retried() {
    let api = start_api(1000);
    let retry = Retry { attempts: 3, backoff: Duration::from_millis(20) };
    let result = call(&api, "/users/101", retry).await;
    let sent = requests_to(&api, "/users/101").len();
    match result {
        Err(error) if error.status().map(|s| s.as_u16()) == Some(404) => {}
        other => panic!("GET /users/101 answers 404, so that error must come back, not {other:?}"),
    }
    if sent != 1 {
        panic!(
            "GET /users/101 was sent {sent} times; a 404 Not Found will be the same answer \
             next time, so only a 5xx status is worth a retry"
        );
    }
}

#[test]
async fn a_waiting_retry_blocks_no_other_task() {
    let api = start_api(2);
    prime(&api).await;
    let backoff = Duration::from_millis(400);
    let retry = Retry { attempts: 2, backoff };
    let ticker = Ticker::start(PERIOD);
    // Lets the ticker take its first tick before the call can block the thread.
    tokio::time::sleep(PERIOD * 2).await;
    let result = call(&api, "/users/6", retry).await;
    let gap = ticker.stop().await;
    let sent = requests_to(&api, "/users/6").len();
    if sent != 2 {
        panic!(
            "the first attempt at GET /users/6 got a 500 and retry.attempts is 2, so 2 requests \
             must be sent, but {sent} {} sent ({}){}",
            if sent == 1 { "was" } else { "were" },
            match &result {
                Ok(_) => "a user came back".to_string(),
                Err(error) => format!("the error returned: {error}"),
            },
            picture(&api)
        );
    }
    assert_responsive(
        gap,
        MAX_GAP,
        &format!("get_user_with_retry waited {} (retry.backoff) before its retry", ms(backoff)),
    );
}
