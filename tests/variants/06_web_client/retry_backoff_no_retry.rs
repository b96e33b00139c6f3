// expect-fail: a_500_is_retried_until_it_succeeds
// expect-fail: the_retry_waits_for_the_backoff
// expect-fail: the_wait_doubles_after_each_failure
// expect-fail: it_gives_up_after_the_given_attempts
// expect-fail: a_waiting_retry_blocks_no_other_task
//
// Wrong variant of retry_backoff: one attempt, whatever the answer.

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
    let _ = (retry, is_server_error);
    get_user(client, url).await
}

async fn get_user(client: &reqwest::Client, url: &str) -> Result<User, reqwest::Error> {
    client.get(url).send().await?.error_for_status()?.json().await
}

/// The server answered with a 5xx status: it failed, and may not the next time.
fn is_server_error(error: &reqwest::Error) -> bool {
    error.status().is_some_and(|status| status.is_server_error())
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
