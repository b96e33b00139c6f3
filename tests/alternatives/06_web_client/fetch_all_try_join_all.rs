// Correct alternative of fetch_all: no tasks; one future per id, all polled
// together by futures::future::try_join_all, which keeps their order.

use std::process::ExitCode;
use std::time::Instant;

use serde::Deserialize;

/// A user as the API returns it from `GET /users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// Fetches `GET {base_url}/users/{id}` for every id, all at once, and returns
/// the users in the order of `ids`.
pub async fn fetch_users(base_url: &str, ids: &[u32]) -> Result<Vec<User>, reqwest::Error> {
    let client = reqwest::Client::new();
    let requests = ids.iter().map(|id| fetch_user(client.clone(), format!("{base_url}/users/{id}")));
    futures::future::try_join_all(requests).await
}

async fn fetch_user(client: reqwest::Client, url: String) -> Result<User, reqwest::Error> {
    client.get(url).send().await?.error_for_status()?.json().await
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run fetch_all`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    let ids: Vec<u32> = (1..=10).collect();
    let started = Instant::now();
    match fetch_users(&base_url, &ids).await {
        Ok(users) => {
            for user in &users {
                println!("{:>3}  {:<10} {}", user.id, user.name, user.email);
            }
            println!("fetched {} users in {:?}", users.len(), started.elapsed());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("fetch_all: {error}");
            ExitCode::FAILURE
        }
    }
}
