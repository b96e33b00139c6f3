//! Hidden checks for `06_web_client/get_json`.
//!
//! One request at a time against the kit's mock API: a user and a post must parse into their
//! structs, and each way a request can fail (an error status, a body that is not JSON, no
//! server at all) must come back as its own `FetchError`, never as a panic. The learner's call
//! runs as a task on a worker thread of its own, so a panic inside it is caught and reported as
//! such (and the check thread's message, not the worker's, is the feedback). The ids and the
//! API's salt are drawn per run (`Inputs`), so no user or post can be written down in advance;
//! a server failure (500, from the API's failure injection) must be a status error as much as
//! a 404 is.

use std::time::Duration;

use concur_kit::api::{content, ApiConfig, MockApi, MALFORMED_BODY, POSTS, USERS};
use concur_kit::seed::Inputs;
use serde::de::DeserializeOwned;

use crate::exercise::*;

/// A call that has not returned by then is stuck; the API answers in milliseconds.
const DEADLINE: Duration = Duration::from_secs(5);

fn start_api() -> MockApi {
    start_api_with(ApiConfig::default())
}

fn start_api_with(config: ApiConfig) -> MockApi {
    MockApi::start(config)
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
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let user_id = inputs.between(1, u64::from(USERS)) as u32;
    let post_id = inputs.between(1, u64::from(POSTS)) as u32;
    let api = start_api_with(ApiConfig { salt, ..ApiConfig::default() });
    let texts = content(salt, USERS);
    let path = format!("/users/{user_id}");
    let user = call::<User>(format!("{}{path}", api.url()), &path).await;
    let expected = User { id: user_id, name: texts.user_name(user_id), email: texts.user_email(user_id) };
    match user {
        Ok(user) => assert_eq!(
            user, expected,
            "GET {path} gave the wrong user (left: what get_json returned, right: what the \
             server sent)"
        ),
        Err(error) => panic!("GET {path} must give user {user_id}, but get_json returned an error: {error}"),
    }
    let path = format!("/posts/{post_id}");
    let post = call::<Post>(format!("{}{path}", api.url()), &path).await;
    let expected = Post {
        id: post_id,
        user_id: texts.post_author(post_id),
        title: texts.post_title(post_id),
        body: texts.post_body(post_id),
    };
    match post {
        Ok(post) => assert_eq!(
            post, expected,
            "GET {path} gave the wrong post (left: what get_json returned, right: what the \
             server sent)"
        ),
        Err(error) => panic!("GET {path} must give post {post_id}, but get_json returned an error: {error}"),
    }
}

#[test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_user_is_a_404_status_error() {
    let mut inputs = Inputs::new();
    let users = inputs.between(20, u64::from(USERS)) as u32;
    let missing = users + inputs.between(1, 50) as u32;
    let api = start_api_with(ApiConfig { users, ..ApiConfig::default() });
    let path = format!("/users/{missing}");
    match call::<User>(format!("{}{path}", api.url()), &path).await {
        Err(FetchError::Status { status: 404, .. }) => {}
        Err(FetchError::Status { status, .. }) => panic!(
            "GET {path} was reported as status {status}, but the server answered 404"
        ),
        Err(FetchError::Json { message, .. }) => panic!(
            "GET {path} was reported as a JSON error (\"{message}\"), but the real problem \
             is that the server answered 404 Not Found: its body is an error message, not a \
             user. Look at the response's status before parsing the body"
        ),
        Err(FetchError::Network { message, .. }) => panic!(
            "GET {path} was reported as a network error (\"{message}\"), but the server \
             did answer: with 404 Not Found. Report it as FetchError::Status"
        ),
        Ok(user) => panic!(
            "GET {path} returned Ok({user:?}), but there is no user {missing} (users 1 to {users} exist): the server \
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

#[test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_failure_is_a_500_status_error() {
    let mut inputs = Inputs::new();
    let user_id = inputs.between(1, u64::from(USERS)) as u32;
    // Every request fails: the API answers 500 with an error message as the body.
    let api = start_api_with(ApiConfig { fail_every: Some(1), ..ApiConfig::default() });
    let path = format!("/users/{user_id}");
    match call::<User>(format!("{}{path}", api.url()), &path).await {
        Err(FetchError::Status { status: 500, .. }) => {}
        Err(FetchError::Status { status, .. }) => panic!(
            "GET {path} was reported as status {status}, but the server answered 500"
        ),
        Err(FetchError::Json { message, .. }) => panic!(
            "GET {path} was reported as a JSON error (\"{message}\"), but the real problem \
             is that the server answered 500 Internal Server Error: its body is an error \
             message, not a user. Every status that is not a success (not only 404) is a \
             FetchError::Status"
        ),
        Err(FetchError::Network { message, .. }) => panic!(
            "GET {path} was reported as a network error (\"{message}\"), but the server did \
             answer: with 500 Internal Server Error. Report it as FetchError::Status"
        ),
        Ok(user) => panic!(
            "GET {path} returned Ok({user:?}), but the server answered 500 Internal Server \
             Error"
        ),
    }
}
