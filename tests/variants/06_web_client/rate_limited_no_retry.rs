// expect-fail: every_user_arrives_despite_the_rate_limit
// expect-fail: retries_wait_for_retry_after
// expect-fail: all_requests_are_sent_at_once
// expect-fail: a_waiting_retry_holds_up_no_other_task
//
// Wrong variant of rate_limited: a 429 is returned as an error.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use serde::Deserialize;

/// How often one request is sent before a 429 is taken as the answer.
const MAX_ATTEMPTS: u32 = 5;
/// The wait when a 429 comes without a usable `Retry-After`.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// A user as the API returns it from `GET /users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// Fetches `GET {base_url}/users/{id}` for every id, all at once, waiting and
/// trying again whenever the server answers 429; returns the users in the order
/// of `ids`.
pub async fn fetch_users_politely(base_url: &str, ids: &[u32]) -> Result<Vec<User>, reqwest::Error> {
    let client = reqwest::Client::new();
    let requests: Vec<_> = ids
        .iter()
        .map(|id| tokio::spawn(fetch_user(client.clone(), format!("{base_url}/users/{id}"))))
        .collect();

    let mut users = Vec::with_capacity(requests.len());
    for request in requests {
        let user = request
            .await
            .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))?;
        users.push(user);
    }
    Ok(users)
}

async fn fetch_user(client: reqwest::Client, url: String) -> Result<User, reqwest::Error> {
    let mut attempt = 1;
    loop {
        let response = client.get(&url).send().await?;
        if response.status() == StatusCode::TOO_MANY_REQUESTS && attempt < 1 {
            tokio::time::sleep(retry_after(&response)).await;
            attempt += 1;
            continue;
        }
        return response.error_for_status()?.json().await;
    }
}

/// The wait a 429 asks for: its `Retry-After` in seconds (the HTTP-date form is
/// not used by this API), else one second.
fn retry_after(response: &reqwest::Response) -> Duration {
    response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok())
        .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs)
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run rate_limited`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    // The mock API of `concur run` has no rate limit; the checks start one that
    // answers 429 above a few requests in flight.
    let ids: Vec<u32> = (1..=10).collect();
    let started = Instant::now();
    match fetch_users_politely(&base_url, &ids).await {
        Ok(users) => {
            for user in &users {
                println!("{:>3}  {:<10} {}", user.id, user.name, user.email);
            }
            println!("fetched {} users in {:?}", users.len(), started.elapsed());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("rate_limited: {error}");
            ExitCode::FAILURE
        }
    }
}
