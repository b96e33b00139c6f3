// expect-fail: every_user_arrives_in_order
// expect-fail: each_page_is_requested_once
// expect-fail: a_full_last_page_is_the_last
//
// Wrong variant of pagination: counts the pages from the 100 users of `concur run`
// instead of following `next`, so a server with another number of users is cut
// short or asked for pages past its end.

use std::process::ExitCode;

use serde::Deserialize;

/// A user as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: u32,
    pub name: String,
    pub email: String,
}

/// One page of `GET /users?page=N&per_page=M`.
#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    pub items: Vec<User>,
    pub page: u32,
    /// The path of the next page (e.g. `/users?page=2&per_page=10`), `None` on the last.
    pub next: Option<String>,
}

/// Every user of `GET {base_url}/users?per_page={per_page}` and the pages after it.
pub async fn fetch_all_users(
    client: &reqwest::Client,
    base_url: &str,
    per_page: u32,
) -> Result<Vec<User>, reqwest::Error> {
    let mut users = Vec::new();
    for number in 1..=100u32.div_ceil(per_page) {
        let url = format!("{base_url}/users?page={number}&per_page={per_page}");
        let page: Page = client.get(url).send().await?.error_for_status()?.json().await?;
        users.extend(page.items);
    }
    Ok(users)
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(base_url) = std::env::var("CONCUR_API_URL") else {
        eprintln!(
            "CONCUR_API_URL is not set. Run this exercise with `concur run pagination`, \
             which starts the mock API and sets it for you."
        );
        return ExitCode::FAILURE;
    };
    let client = reqwest::Client::new();
    match fetch_all_users(&client, &base_url, 25).await {
        Ok(users) => {
            let first = users.first().map_or(0, |u| u.id);
            let last = users.last().map_or(0, |u| u.id);
            println!("fetched {} users, ids {first} to {last}", users.len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("pagination: {error}");
            ExitCode::FAILURE
        }
    }
}
