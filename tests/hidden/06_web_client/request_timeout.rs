//! Hidden checks for `06_web_client/request_timeout`.
//!
//! The kit's mock API's `/slow?ms=N` route answers after N ms. A quick answer must come back
//! as text; a slow one must come back as `GetError::TimedOut` once the limit is over — the
//! check waits for it, guarded by a deadline well past the limit and well short of the slow
//! answer, so a client without a timeout gets a clear message instead of hanging. A timer
//! never fires early, so giving up before the limit is a fact, not a race; nor should it fire
//! much later, so a timeout fixed in the code instead of `limit` fails one check or the other
//! (a quick answer takes 600 ms against a limit of 1.5 s; a slow one 3 s against 300 ms, and
//! must be given up within 300 ms + `LATE`). The quick answer is a user of a salted API at a
//! random id, so its body cannot be made up.
//! `tests/variants/06_web_client/` holds a client without a timeout and one with a timeout of
//! its own instead of `limit`.

use std::time::{Duration, Instant};

use concur_kit::api::{content, ApiConfig, MockApi, USERS};
use concur_kit::seed::Inputs;

use crate::exercise::*;

/// Far past any limit used here, far short of the slow route's answer.
const DEADLINE: Duration = Duration::from_secs(2);
/// How late after its limit a timeout may fire: far above what a busy machine adds to a timer.
const LATE: Duration = Duration::from_millis(250);

fn start_api() -> MockApi {
    start_api_with(0)
}

fn start_api_with(salt: u64) -> MockApi {
    MockApi::start(ApiConfig { salt, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

/// Calls `get_within(path, limit)`; returns its result and how long it took.
async fn call(api: &MockApi, path: &str, limit: Duration) -> (Result<String, GetError>, Duration) {
    let client = reqwest::Client::new();
    let url = format!("{}{path}", api.url());
    let started = Instant::now();
    match tokio::time::timeout(DEADLINE, get_within(&client, &url, limit)).await {
        Ok(result) => (result, started.elapsed()),
        Err(_) => panic!(
            "get_within(GET {path}, limit {limit:?}) was still waiting after {DEADLINE:?}: \
             nothing stops waiting for an answer once the limit is over. Put a timeout on \
             the request (reqwest's `.timeout(..)` or `tokio::time::timeout`)"
        ),
    }
}

#[test]
async fn a_quick_answer_comes_back_as_text() {
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let id = inputs.between(1, u64::from(USERS)) as u32;
    let api = start_api_with(salt);
    let limit = Duration::from_millis(1500);
    let path = format!("/users/{id}?latency_ms=600");
    let name = content(salt, USERS).user_name(id);
    match call(&api, &path, limit).await {
        (Ok(body), _) => assert!(
            body.contains(&name),
            "GET {path} must return the server's body, with the name {name:?} in it, but \
             get_within returned {body:?}"
        ),
        (Err(error), took) => panic!(
            "GET {path} answers after 600 ms, well within the limit of {limit:?}, but \
             get_within returned an error after {took:?}: {error}. Is the limit the `limit` \
             argument, or a number of your own?"
        ),
    }
}

#[test]
async fn a_slow_answer_becomes_a_timeout_error() {
    let api = start_api();
    let limit = Duration::from_millis(300);
    match call(&api, "/slow?ms=3000", limit).await {
        (Err(GetError::TimedOut { .. }), took) => {
            assert!(
                took >= limit.mul_f64(0.9),
                "get_within reported a timeout after {took:?}, before its limit of {limit:?} was \
                 over: it must wait for the answer until the limit"
            );
            assert!(
                took <= limit + LATE,
                "get_within reported a timeout only after {took:?}, although its limit was \
                 {limit:?}: give up when `limit` is over, not after a time of your own"
            );
        }
        (Err(GetError::Failed(error)), took) if error.is_timeout() => panic!(
            "GET /slow?ms=3000 did time out after {took:?}, but came back as \
             GetError::Failed({error}); a timeout must be GetError::TimedOut"
        ),
        (Err(GetError::Failed(error)), took) => panic!(
            "GET /slow?ms=3000 with a limit of {limit:?} must be GetError::TimedOut, but \
             get_within returned GetError::Failed after {took:?}: {error}"
        ),
        (Ok(body), took) => panic!(
            "GET /slow?ms=3000 with a limit of {limit:?} must be GetError::TimedOut, but \
             get_within waited {took:?} and returned the body {body:?}"
        ),
    }
}

#[test]
async fn an_error_status_is_failed_not_a_body() {
    let api = start_api();
    match call(&api, "/users/101", Duration::from_millis(1500)).await {
        (Err(GetError::Failed(error)), _) if error.status().map(|s| s.as_u16()) == Some(404) => {}
        (Err(GetError::Failed(error)), _) => panic!(
            "GET /users/101 answers 404 Not Found, so the error must carry that status, but \
             get_within returned GetError::Failed({error})"
        ),
        (Err(error), took) => panic!(
            "GET /users/101 answers 404 at once, so it must be GetError::Failed, but get_within \
             returned after {took:?}: {error:?}"
        ),
        (Ok(body), _) => panic!(
            "GET /users/101 answers 404 Not Found, but get_within returned its body as if it \
             were a success: {body:?}. Turn an error status into GetError::Failed"
        ),
    }
}
