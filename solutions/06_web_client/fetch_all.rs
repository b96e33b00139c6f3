// Async web client: many requests in flight at once.
//
// Reference solution. Each request becomes its own tokio task, so all of them
// are in flight together; the join handles are kept in the order of the ids and
// awaited in that order, so the users come back in that order too. Every task
// shares one `reqwest::Client`, which is cheap to clone and reuses connections.

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
    let requests: Vec<_> = ids
        .iter()
        .map(|id| tokio::spawn(fetch_user(client.clone(), format!("{base_url}/users/{id}"))))
        .collect();

    let mut users = Vec::with_capacity(requests.len());
    for request in requests {
        // A task only fails to join if it panicked; pass the panic on as it was.
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
