//! The mock API's resources: deterministic JSON the async exercises fetch.
//!
//! To add a route: write a handler here, add it to [`router`] and describe it in [`ROUTES`]
//! (which `concur serve` prints). Latency, failure injection, rate limiting and logging are
//! applied around every route by the gate in `mod.rs`, so handlers only build responses.
//! In: a request's path and query. Out: a response.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Extension, Path, Query};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// Users `1..=USERS` exist.
pub const USERS: u32 = 100;
/// Posts `1..=POSTS` exist.
pub const POSTS: u32 = 500;
const DEFAULT_PER_PAGE: u32 = 10;
const MAX_PER_PAGE: u32 = 50;
const DEFAULT_SLOW_MS: u64 = 5000;
/// The body `/malformed` answers with: valid-looking JSON, cut short.
pub const MALFORMED_BODY: &str = r#"{"id": 1, "name": "#;

/// `(route, description)` for help text.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET /health", "{\"ok\":true}; no latency, never fails or rate-limited"),
    ("GET /users/{id}", "user {id, name, email} for ids 1..=100; 404 otherwise"),
    (
        "GET /users?page=N&per_page=M",
        "a page of users {items, page, next} (per_page default 10, max 50); next is null on the last page",
    ),
    ("GET /posts/{id}", "post {id, user_id, title, body} for ids 1..=500; 404 otherwise"),
    ("GET /slow?ms=N", "{\"slow\":true} after N ms (default 5000), to practise timeouts"),
    ("GET /malformed", "200 with an invalid (truncated) JSON body"),
    ("any route + ?latency_ms=N", "overrides the configured latency for that request"),
];

pub(crate) fn router() -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/users", get(list_users))
        .route("/users/{id}", get(user))
        .route("/posts/{id}", get(post))
        .route("/slow", get(slow))
        .route("/malformed", get(malformed))
        .fallback(no_route)
}

/// What the resources say, as configured for one server: checks build the answers they
/// expect with the same functions.
#[derive(Clone, Copy, Debug)]
pub struct Content {
    /// 0 for the plain texts; else every text carries a token of it.
    pub salt: u64,
    /// Users `1..=users` exist.
    pub users: u32,
}

/// The content of a server started with `salt` and `users` (see [`crate::ApiConfig`]).
pub fn content(salt: u64, users: u32) -> Content {
    Content { salt, users }
}

impl Content {
    /// Six hex digits only this run's `salt` gives for `id`; empty without a salt.
    fn token(&self, kind: u64, id: u32) -> String {
        if self.salt == 0 {
            return String::new();
        }
        let mut z = self.salt ^ (kind << 40) ^ u64::from(id);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        format!("{:06x}", (z ^ (z >> 31)) & 0xFF_FFFF)
    }

    fn tagged(&self, plain: String, kind: u64, id: u32) -> String {
        match self.token(kind, id) {
            t if t.is_empty() => plain,
            t => format!("{plain} {t}"),
        }
    }

    /// The name of user `id`: `User 3`, or `User 3 5f2a9c` with a salt.
    pub fn user_name(&self, id: u32) -> String {
        self.tagged(format!("User {id}"), 1, id)
    }

    /// The email of user `id`: `user3@example.test`, or `user3.5f2a9c@example.test`.
    pub fn user_email(&self, id: u32) -> String {
        match self.token(2, id) {
            t if t.is_empty() => format!("user{id}@example.test"),
            t => format!("user{id}.{t}@example.test"),
        }
    }

    /// The user who wrote post `id`.
    pub fn post_author(&self, id: u32) -> u32 {
        (id - 1) % self.users.max(1) + 1
    }

    /// The title of post `id`.
    pub fn post_title(&self, id: u32) -> String {
        self.tagged(format!("Post {id}"), 3, id)
    }

    /// The body of post `id`.
    pub fn post_body(&self, id: u32) -> String {
        match self.token(4, id) {
            t if t.is_empty() => format!("This is the body of post {id}."),
            t => format!("This is the body of post {id} ({t})."),
        }
    }
}

#[derive(Serialize)]
struct User {
    id: u32,
    name: String,
    email: String,
}

impl User {
    fn new(id: u32, content: &Content) -> User {
        User {
            id,
            name: content.user_name(id),
            email: content.user_email(id),
        }
    }
}

#[derive(Serialize)]
struct Post {
    id: u32,
    user_id: u32,
    title: String,
    body: String,
}

#[derive(Serialize)]
struct Page {
    items: Vec<User>,
    page: u32,
    next: Option<String>,
}

#[derive(Serialize)]
struct Error {
    error: String,
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = Error {
        error: message.into(),
    };
    (status, Json(body)).into_response()
}

/// Parses `/{id}` segments; anything not in `1..=max` is `None`.
fn known_id(raw: &str, max: u32) -> Option<u32> {
    raw.parse::<u32>().ok().filter(|id| (1..=max).contains(id))
}

async fn health() -> Response {
    Json(serde_json::json!({ "ok": true })).into_response()
}

async fn user(Extension(content): Extension<Content>, Path(raw): Path<String>) -> Response {
    match known_id(&raw, content.users) {
        Some(id) => Json(User::new(id, &content)).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no user {raw}")),
    }
}

async fn post(Extension(content): Extension<Content>, Path(raw): Path<String>) -> Response {
    match known_id(&raw, POSTS) {
        Some(id) => Json(Post {
            id,
            user_id: content.post_author(id),
            title: content.post_title(id),
            body: content.post_body(id),
        })
        .into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no post {raw}")),
    }
}

async fn list_users(
    Extension(content): Extension<Content>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let number = |key: &str, default: u32| match query.get(key) {
        None => Ok(default),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("{key} must be a positive integer, not {raw:?}")),
    };
    let (page, per_page) = match (number("page", 1), number("per_page", DEFAULT_PER_PAGE)) {
        (Ok(page), Ok(per_page)) => (page, per_page.min(MAX_PER_PAGE)),
        (Err(message), _) | (_, Err(message)) => return error(StatusCode::BAD_REQUEST, message),
    };
    let first = u64::from(page - 1) * u64::from(per_page) + 1;
    let users = u64::from(content.users);
    let last = (first + u64::from(per_page) - 1).min(users);
    let items = (first..=last)
        .filter_map(|id| u32::try_from(id).ok())
        .map(|id| User::new(id, &content))
        .collect();
    let next = (last < users).then(|| format!("/users?page={}&per_page={per_page}", page + 1));
    Json(Page { items, page, next }).into_response()
}

async fn slow(Query(query): Query<HashMap<String, String>>) -> Response {
    let ms = match query.get("ms").map(|raw| raw.parse::<u64>()) {
        None => DEFAULT_SLOW_MS,
        Some(Ok(ms)) => ms,
        Some(Err(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "ms must be a number of milliseconds",
            )
        }
    };
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Json(serde_json::json!({ "slow": true })).into_response()
}

async fn malformed() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], MALFORMED_BODY).into_response()
}

async fn no_route(uri: Uri) -> Response {
    error(StatusCode::NOT_FOUND, format!("no route {}", uri.path()))
}
