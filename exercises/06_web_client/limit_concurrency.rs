// Async web client: at most N requests in flight
//
// Starting every request at once is fast, but not always polite: a server may
// serve only a few clients at a time, and a thousand requests fired together
// can overload it (or your own machine). The usual compromise is a limit:
// keep *up to* N requests in flight, and start the next one as soon as one
// finishes.
//
// tokio has a tool for "at most N at a time": `tokio::sync::Semaphore`, a
// counter of permits. A task takes a permit before its request and gives it
// back when done; when all N are taken, the next task waits for one to be
// returned. (A `JoinSet` that is never allowed to hold more than N running
// tasks works too.)
//
// The function below starts every request at once, like fetch_all. Your task:
// keep at most `limit` requests in flight at any moment, while still using all
// `limit` of them (a slot that frees up is used at once, also while a slow request
// holds another), and still return the users in the order of `ids`. Stay async: a
// blocking wait (a std Mutex or Condvar, `std::thread::sleep`) on the runtime's
// thread stops every task, those holding permits included; `spawn_blocking` would
// work, at a thread a request, but is not needed.
//
// `concur run limit_concurrency` starts a local mock API and runs `main`.

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

/// Fetches `GET {base_url}/users/{id}` for every id, never more than `limit`
/// at the same time, and returns the users in the order of `ids`.
pub async fn fetch_users_limited(
    base_url: &str,
    ids: &[u32],
    limit: usize,
) -> Result<Vec<User>, reqwest::Error> {
    let client = reqwest::Client::new();
    // TODO: every request is started at once. Let at most `limit` of them be in
    // flight together: each task should wait for its turn before sending.
    let _ = limit;
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
