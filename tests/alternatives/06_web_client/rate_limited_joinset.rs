// Correct alternative of rate_limited: a JoinSet of (position, user) tasks, put
// back in order at the end; the wait is a sleep_until computed from the header.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde::Deserialize;
use tokio::task::JoinSet;

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
    let mut set = JoinSet::new();
    for (position, id) in ids.iter().enumerate() {
        let client = client.clone();
        let url = format!("{base_url}/users/{id}");
        set.spawn(async move { (position, fetch_user(client, url).await) });
    }
    let mut users: Vec<Option<User>> = vec![None; ids.len()];
    while let Some(done) = set.join_next().await {
        let (position, user) = done.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()));
        users[position] = Some(user?);
    }
    Ok(users.into_iter().flatten().collect())
}

async fn fetch_user(client: reqwest::Client, url: String) -> Result<User, reqwest::Error> {
    let mut attempts_left = 4;
    loop {
        let response = client.get(&url).send().await?;
        if response.status() != StatusCode::TOO_MANY_REQUESTS || attempts_left == 0 {
            return response.error_for_status()?.json().await;
        }
        attempts_left -= 1;
        let wait = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok())
            .unwrap_or(1);
        tokio::time::sleep_until(tokio::time::Instant::now() + Duration::from_secs(wait)).await;
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
