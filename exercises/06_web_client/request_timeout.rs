// Async web client: give up on a request that takes too long
//
// A server that never answers is worse than one that says no: a client that
// waits for it waits for ever, and so does whoever waits for that client. Every
// real client puts a limit on how long one request may take, and treats a
// request over the limit as a failure it can report, retry or skip.
//
// Two ways to do that with tokio and reqwest:
// - reqwest can enforce it itself: a timeout on the client
//   (`reqwest::Client::builder().timeout(..)`) or on one request
//   (`RequestBuilder::timeout`); the error it then returns says `is_timeout()`;
// - `tokio::time::timeout(duration, future)` works on any future: it gives
//   `Err(Elapsed)` once the time is up, and drops the future, which cancels it.
//
// Your task: make `get_within` return the body of `GET url` as text, or
// `GetError::TimedOut` when no complete answer arrived within `limit`. An error
// status (404, 500, …) is a `GetError::Failed`, not a body.
//
// Try it with `concur run request_timeout`: the mock API's `/slow?ms=N` route
// answers after N milliseconds.

use std::fmt;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Why `get_within` returned no body.
#[derive(Debug)]
pub enum GetError {
    /// No complete answer within the limit.
    TimedOut { url: String, limit: Duration },
    /// The request failed for another reason: an error status, a broken connection, …
    Failed(reqwest::Error),
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::TimedOut { url, limit } => write!(f, "GET {url}: no answer within {limit:?}"),
            GetError::Failed(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for GetError {}

/// `GET url` and return the body as text, giving up after `limit`.
pub async fn get_within(
    client: &reqwest::Client,
    url: &str,
    limit: Duration,
) -> Result<String, GetError> {
    // TODO: nothing here stops waiting after `limit`. Put a time limit on the
    // request and report going over it as `GetError::TimedOut`.
    let _ = limit;
    let response = client.get(url).send().await.map_err(GetError::Failed)?;
    let response = response.error_for_status().map_err(GetError::Failed)?;
    response.text().await.map_err(GetError::Failed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run request_timeout`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    let client = reqwest::Client::new();
    let limit = Duration::from_secs(1);
    for ms in [200, 3000] {
        let url = format!("{base_url}/slow?ms={ms}");
        let started = Instant::now();
        match get_within(&client, &url, limit).await {
            Ok(body) => println!("/slow?ms={ms}: {body} after {:?}", started.elapsed()),
            Err(error) => println!("/slow?ms={ms}: error after {:?}: {error}", started.elapsed()),
        }
    }
    ExitCode::SUCCESS
}
