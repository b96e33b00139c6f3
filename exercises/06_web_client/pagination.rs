// Async web client: follow the pages to the end
//
// An API rarely hands out a long list in one answer. It sends a **page** of it,
// and says where the next page is: `GET /users?per_page=10` answers
//
//     {"items": [ ...10 users... ], "page": 1, "next": "/users?page=2&per_page=10"}
//
// and the last page says `"next": null`. A client follows the `next` links,
// one after another, until there is none. This is one thing async does not
// speed up: you only learn where page 2 is from the answer to page 1, so the
// pages are fetched in turn. (Guessing page numbers instead is fragile: the
// server decides how its links look, and a page past the end costs a request.)
//
// `Option<String>` in a serde struct is `None` for a JSON `null`.
//
// The function below fetches the first page only. Your task: follow the `next`
// links until `next` is null, requesting each page once, and return every user
// of every page, in order.
//
// `concur run pagination` starts a local mock API and runs `main`.

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
    let url = format!("{base_url}/users?per_page={per_page}");
    let page: Page = client.get(url).send().await?.error_for_status()?.json().await?;
    // TODO: this is only the first page. While `next` names another page,
    // fetch that one too (its path goes after `base_url`), and keep every user.
    Ok(page.items)
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
