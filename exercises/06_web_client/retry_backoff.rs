// Async web client: retry a failed request, and back off
//
// Servers fail now and then: a 500 Internal Server Error or a 503 often means
// "not right now" and the same request a moment later succeeds. So clients
// retry. But *when* matters: a server that failed because it was overloaded is
// not helped by a client that asks again at once, and again, and again. A
// polite client waits before each retry (it **backs off**), and waits longer
// after each further failure, typically twice as long: 100 ms, 200 ms, 400 ms…
// It also stops at some point and reports the failure.
//
// Not every error is worth a retry: a 404 Not Found or a 400 Bad Request will
// be the same answer next time. Only a 5xx status says the server itself failed.
//
// `tokio::time::sleep(duration).await` waits without blocking the thread, so
// other tasks keep running meanwhile (never use `std::thread::sleep` in async
// code: it stops every task on that thread).
//
// Your task: `get_user_with_retry` makes up to `retry.attempts` attempts.
// After a 5xx answer it waits `retry.backoff` before the second attempt, twice
// that before the third, and so on; any other error is returned at once, and so
// is the last error once the attempts are used up.
//
// `concur run retry_backoff` starts a local mock API and runs `main`.

use std::process::ExitCode;
use std::time::Duration;

use serde::Deserialize;

/// A user as the API returns it from `GET /users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// How many attempts to make, and how long to wait before the first retry.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts in all, the first one included (at least 1).
    pub attempts: u32,
    /// The wait before the second attempt; each later wait is twice the one before.
    pub backoff: Duration,
}

/// `GET url` as a `User`, retrying a 5xx answer with exponential backoff.
pub async fn get_user_with_retry(
    client: &reqwest::Client,
    url: &str,
    retry: Retry,
) -> Result<User, reqwest::Error> {
    // TODO: this makes one attempt only. When the answer is a 5xx status,
    // wait and try again, as `retry` says.
    let _ = retry;
    client.get(url).send().await?.error_for_status()?.json().await
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run retry_backoff`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    let client = reqwest::Client::new();
    let retry = Retry { attempts: 4, backoff: Duration::from_millis(100) };
    // The mock API of `concur run` does not fail on purpose, so user 5 arrives at
    // once; user 101 does not exist, and a 404 is not worth a retry.
    for id in [5, 101] {
        match get_user_with_retry(&client, &format!("{base_url}/users/{id}"), retry).await {
            Ok(user) => println!("user {id}: {user:?}"),
            Err(error) => println!("user {id}: error: {error}"),
        }
    }
    ExitCode::SUCCESS
}
