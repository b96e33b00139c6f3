// Correct alternative of rate_limited: no tasks, one future per id joined with
// futures::future::join_all; each future retries in a `for` over its attempts.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// A user as the API returns it from `GET /users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// Fetches every user at once, retrying 429s after their Retry-After.
pub async fn fetch_users_politely(base_url: &str, ids: &[u32]) -> Result<Vec<User>, reqwest::Error> {
    let client = reqwest::Client::new();
    let futures = ids.iter().map(|id| fetch_user(&client, format!("{base_url}/users/{id}")));
    futures::future::join_all(futures).await.into_iter().collect()
}

async fn fetch_user(client: &reqwest::Client, url: String) -> Result<User, reqwest::Error> {
    let mut last = None;
    for _ in 0..6 {
        let response = client.get(&url).send().await?;
        if response.status().as_u16() != 429 {
            return response.error_for_status()?.json().await;
        }
        let secs = match response.headers().get("retry-after").map(|v| v.to_str()) {
            Some(Ok(text)) => text.parse().unwrap_or(1),
            _ => 1,
        };
        last = Some(response);
        tokio::time::sleep(Duration::from_secs(secs)).await;
    }
    match last {
        Some(response) => response.error_for_status()?.json().await,
        None => unreachable!("the loop runs at least once"),
    }
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
