// expect-fail: a_slow_answer_becomes_a_timeout_error
//
// Wrong variant of request_timeout: a client timeout of its own (700 ms) instead of
// `limit`. Quick answers come back, slow ones time out, but late.

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
    let _ = client;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(700))
        .build()
        .map_err(GetError::Failed)?;
    let answer = async { client.get(url).send().await?.error_for_status()?.text().await };
    match answer.await {
        Ok(body) => Ok(body),
        Err(error) if error.is_timeout() => Err(GetError::TimedOut { url: url.to_string(), limit }),
        Err(error) => Err(GetError::Failed(error)),
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
