//! Hidden checks for `06_web_client/get_json`.
//!
//! One request at a time against the kit's mock API: a user and a post must parse into their
//! structs, and each way a request can fail (an error status, a body that is not JSON, no
//! server at all) must come back as its own `FetchError`, never as a panic. The learner's call
//! runs as a task on a worker thread of its own, so a panic inside it is caught and reported as
//! such (and the check thread's message, not the worker's, is the feedback).

use std::time::Duration;

use concur_kit::api::{ApiConfig, MockApi, MALFORMED_BODY};
use serde::de::DeserializeOwned;

use crate::exercise::*;

/// A call that has not returned by then is stuck; the API answers in milliseconds.
const DEADLINE: Duration = Duration::from_secs(5);

fn start_api() -> MockApi {
    MockApi::start(ApiConfig::default())
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// Runs `get_json::<T>(url)` as a task of its own, so a panic comes back as a message.
async fn call<T: DeserializeOwned + Send + 'static>(url: String, shown: &str) -> Result<T, FetchError> {
    let client = reqwest::Client::new();
    let task = tokio::spawn(async move { get_json::<T>(&client, &url).await });
    match tokio::time::timeout(DEADLINE, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(failed)) if failed.is_panic() => panic!(
            "get_json panicked on GET {shown} instead of returning an error: \"{}\". A client \
             must not crash because one request failed: return a FetchError instead of \
             calling unwrap()",
            panic_text(failed.into_panic())
        ),
        Ok(Err(failed)) => panic!("the task running get_json for GET {shown} failed: {failed}"),
        Err(_) => panic!(
            "get_json did not return within {DEADLINE:?} for GET {shown}, although the API \
             answers it at once"
        ),
    }
}

#[test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_and_a_post_parse_into_their_structs() {
    let api = start_api();
    let user = call::<User>(format!("{}/users/42", api.url()), "/users/42").await;
    let expected = User { id: 42, name: "User 42".into(), email: "user42@example.test".into() };
    match user {
        Ok(user) => assert_eq!(
            user, expected,
            "GET /users/42 gave the wrong user (left: what get_json returned, right: expected)"
        ),
        Err(error) => panic!("GET /users/42 must give user 42, but get_json returned an error: {error}"),
    }
    let post = call::<Post>(format!("{}/posts/7", api.url()), "/posts/7").await;
    let expected = Post {
        id: 7,
        user_id: 7,
        title: "Post 7".into(),
        body: "This is the body of post 7.".into(),
    };
    match post {
        Ok(post) => assert_eq!(
            post, expected,
            "GET /posts/7 gave the wrong post (left: what get_json returned, right: expected)"
        ),
        Err(error) => panic!("GET /posts/7 must give post 7, but get_json returned an error: {error}"),
    }
}

#[test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_user_is_a_404_status_error() {
    let api = start_api();
    match call::<User>(format!("{}/users/101", api.url()), "/users/101").await {
        Err(FetchError::Status { status: 404, .. }) => {}
        Err(FetchError::Status { status, .. }) => panic!(
            "GET /users/101 was reported as status {status}, but the server answered 404"
        ),
        Err(FetchError::Json { message, .. }) => panic!(
            "GET /users/101 was reported as a JSON error (\"{message}\"), but the real problem \
             is that the server answered 404 Not Found: its body is an error message, not a \
             user. Look at the response's status before parsing the body"
        ),
        Err(FetchError::Network { message, .. }) => panic!(
            "GET /users/101 was reported as a network error (\"{message}\"), but the server \
             did answer: with 404 Not Found. Report it as FetchError::Status"
        ),
        Ok(user) => panic!(
            "GET /users/101 returned Ok({user:?}), but there is no user 101: the server \
             answered 404 Not Found"
        ),
    }
}

#[test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_body_is_a_json_error() {
    let api = start_api();
    match call::<User>(format!("{}/malformed", api.url()), "/malformed").await {
        Err(FetchError::Json { .. }) => {}
        Err(other) => panic!(
            "GET /malformed answers 200 with the body {MALFORMED_BODY:?}, which is cut short; \
             that must be a FetchError::Json, but get_json returned: {other:?}"
        ),
        Ok(user) => panic!(
            "GET /malformed returned Ok({user:?}), but its body {MALFORMED_BODY:?} is not \
             valid JSON"
        ),
    }
}

#[test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_a_network_error() {
    // A port that was free a moment ago: nothing listens on it any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|error| panic!("could not find a free port (not your code): {error}"));
    let shown = format!("http://127.0.0.1:{port}/users/1 (nothing listens there)");
    match call::<User>(format!("http://127.0.0.1:{port}/users/1"), &shown).await {
        Err(FetchError::Network { .. }) => {}
        Err(other) => panic!(
            "GET {shown} must be a FetchError::Network, since no server answered at all, but \
             get_json returned: {other:?}"
        ),
        Ok(user) => panic!("GET {shown} returned Ok({user:?}), but no server answered"),
    }
}
