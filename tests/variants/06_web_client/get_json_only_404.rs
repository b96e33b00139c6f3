// expect-fail: a_server_failure_is_a_500_status_error
//
// Wrong variant of get_json: treats only 404 as an error status, so a 500's error
// message is parsed as the value and reported as a JSON error.

use std::fmt;
use std::process::ExitCode;

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A user as the API returns it from `GET /users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// A post as the API returns it from `GET /posts/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Post {
    pub id: u32,
    pub user_id: u32,
    pub title: String,
    pub body: String,
}

/// Why `get_json` could not return a value.
#[derive(Debug)]
pub enum FetchError {
    /// No answer at all: the server could not be reached, or the connection broke.
    Network { url: String, message: String },
    /// The server answered with a status that is not a success (404, 500, …).
    Status { url: String, status: u16 },
    /// The answer was a success, but its body is not the JSON that was expected.
    Json { url: String, message: String },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network { url, message } => write!(f, "GET {url}: no answer: {message}"),
            FetchError::Status { url, status } => write!(f, "GET {url}: the server answered {status}"),
            FetchError::Json { url, message } => write!(f, "GET {url}: unexpected body: {message}"),
        }
    }
}

impl std::error::Error for FetchError {}

/// `GET url` and parse the body as a `T`.
pub async fn get_json<T: DeserializeOwned>(client: &reqwest::Client, url: &str) -> Result<T, FetchError> {
    let network = |error: reqwest::Error| FetchError::Network {
        url: url.to_string(),
        message: error.to_string(),
    };
    let response = client.get(url).send().await.map_err(network)?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Err(FetchError::Status { url: url.to_string(), status: 404 });
    }
    let body = response.text().await.map_err(network)?;
    serde_json::from_str(&body).map_err(|error| FetchError::Json {
        url: url.to_string(),
        message: error.to_string(),
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run get_json`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    let client = reqwest::Client::new();
    match get_json::<User>(&client, &format!("{base_url}/users/1")).await {
        Ok(user) => println!("user 1:     {user:?}"),
        Err(error) => println!("user 1:     error: {error}"),
    }
    match get_json::<Post>(&client, &format!("{base_url}/posts/7")).await {
        Ok(post) => println!("post 7:     {post:?}"),
        Err(error) => println!("post 7:     error: {error}"),
    }
    match get_json::<User>(&client, &format!("{base_url}/users/101")).await {
        Ok(user) => println!("user 101:   {user:?} (there is no user 101!)"),
        Err(error) => println!("user 101:   error: {error}"),
    }
    match get_json::<User>(&client, &format!("{base_url}/malformed")).await {
        Ok(user) => println!("malformed:  {user:?} (that body was broken!)"),
        Err(error) => println!("malformed:  error: {error}"),
    }
    ExitCode::SUCCESS
}
