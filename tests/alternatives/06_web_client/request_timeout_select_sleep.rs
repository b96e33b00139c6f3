// Correct alternative of request_timeout: a tokio::select! between the request
// and a sleep of `limit`; whichever finishes first wins, the other is dropped.

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
    tokio::select! {
        answer = async { client.get(url).send().await?.error_for_status()?.text().await } => {
            answer.map_err(GetError::Failed)
        }
        () = tokio::time::sleep(limit) => Err(GetError::TimedOut { url: url.to_string(), limit }),
    }
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
