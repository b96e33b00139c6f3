// expect-fail: a_free_slot_is_filled_at_once
// expect-fail: the_limit_is_used_fully
//
// Wrong variant of limit_concurrency: one permit, so the requests run one after
// another; never above the limit, but far below it.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use tokio::sync::Semaphore;

/// A user as the API returns it from `GET /users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// Fetches `GET {base_url}/users/{id}` for every id, never more than `limit`
/// at the same time, and returns the users in the order of `ids`.
pub async fn fetch_users_limited(
    base_url: &str,
    ids: &[u32],
    limit: usize,
) -> Result<Vec<User>, reqwest::Error> {
    let client = reqwest::Client::new();
    let permits = Arc::new(Semaphore::new(limit.min(1)));
    let requests: Vec<_> = ids
        .iter()
        .map(|id| {
            let client = client.clone();
            let permits = Arc::clone(&permits);
            let url = format!("{base_url}/users/{id}");
            tokio::spawn(async move {
                // Held until the task ends; the semaphore is never closed.
                let _permit = permits.acquire().await.expect("the semaphore is never closed");
                fetch_user(client, url).await
            })
        })
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
    client.get(url).send().await?.error_for_status()?.json().await
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run limit_concurrency`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    let ids: Vec<u32> = (1..=20).collect();
    let started = Instant::now();
    match fetch_users_limited(&base_url, &ids, 4).await {
        Ok(users) => {
            for user in &users {
                println!("{:>3}  {:<10} {}", user.id, user.name, user.email);
            }
            println!("fetched {} users, 4 at a time, in {:?}", users.len(), started.elapsed());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("limit_concurrency: {error}");
            ExitCode::FAILURE
        }
    }
}
