// Async web client
//
// Most of a web request's time is spent waiting for the server. An async
// function can start a request, and while it waits, the runtime (tokio) runs
// other work, such as more requests. But `.await` on a request waits for it
// right there: awaiting requests one by one in a loop sends the next request
// only when the previous answer has arrived, so ten requests of 200 ms take two
// seconds. To have them all in flight at once, start them all first, then wait.
//
// The function below works, one request at a time. Your task: make it fetch
// every user concurrently, and still return the users in the order of `ids`.
// Stay async: no threads are needed. Blocking the runtime's thread (joining std
// threads, `reqwest::blocking`) stops every other task while it waits, and is
// not accepted; `tokio::task::spawn_blocking` would work, at a thread a request.
//
// `concur run fetch_all` starts a local mock API and runs `main` against it.

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

/// Fetches `GET {base_url}/users/{id}` for every id and returns the users in
/// the order of `ids`.
pub async fn fetch_users(base_url: &str, ids: &[u32]) -> Result<Vec<User>, reqwest::Error> {
    let client = reqwest::Client::new();
    let mut users = Vec::with_capacity(ids.len());
    // TODO: this loop waits for each answer before sending the next request.
    // Start every request first, then collect the answers in order.
    for id in ids {
        let url = format!("{base_url}/users/{id}");
        let user = client.get(url).send().await?.error_for_status()?.json().await?;
        users.push(user);
    }
    Ok(users)
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
