// Correct alternative of fetch_all: reqwest::blocking on tokio's blocking threads,
// one spawn_blocking per id; the runtime's own thread only awaits them.

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
    let _ = fetch_user;
    let requests: Vec<_> = ids
        .iter()
        .map(|id| {
            let url = format!("{base_url}/users/{id}");
            tokio::task::spawn_blocking(move || reqwest::blocking::get(url)?.error_for_status()?.json::<User>())
        })
        .collect();
    let mut users = Vec::with_capacity(requests.len());
    for request in requests {
        users.push(request.await.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))?);
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
