// Async web client: when the server says "too many", wait as long as it asks
//
// Servers protect themselves. One that is asked for more than it will serve at
// once answers **429 Too Many Requests**, and often says when to come back in a
// `Retry-After` header: a number of seconds (not always the same). A well-behaved
// client waits that long before it sends that request again. A client that asks
// again at once just gets 429 after 429, and keeps the server busy saying no.
//
// `response.headers().get(reqwest::header::RETRY_AFTER)` gives the header, if
// there is one; `.to_str()` and `.parse::<u64>()` turn it into seconds.
//
// The function below sends every request at once, as in fetch_all, and fails as
// soon as one of them is answered 429. Your task: keep sending them all at once,
// but when a request is answered 429, wait as long as `Retry-After` says (1 s
// if the header is missing) and send that request again, until it gets a real
// answer (or, wisely, until a few attempts are used up). Return the users in the
// order of `ids`. Wait with `tokio::time::sleep(...).await`: a blocking
// `std::thread::sleep` would stop every other request of the runtime meanwhile.
//
// `concur run rate_limited` starts a local mock API and runs `main`.

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
    // TODO: a 429 answer becomes an error here. Wait as long as its
    // `Retry-After` header says, then send the request again.
    client.get(url).send().await?.error_for_status()?.json().await
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
