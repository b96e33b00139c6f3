// expect-fail: dashboard_holds_all_three_parts
//
// Wrong variant of join_dashboard: the requests are awaited together and an
// error is returned at once, but the dashboard is filled with the example's
// values instead of the answers.

use std::future::Future;
use std::time::{Duration, Instant};

/// A failed request, with the API's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError(pub String);

/// Everything the dashboard page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub user: String,
    pub orders: Vec<u32>,
    pub unread: usize,
}
/// Loads the three parts of the dashboard at once. The first error is returned
/// as soon as it happens, without waiting for the other requests.
pub async fn load_dashboard(
    user: impl Future<Output = Result<String, ApiError>>,
    orders: impl Future<Output = Result<Vec<u32>, ApiError>>,
    unread: impl Future<Output = Result<usize, ApiError>>,
) -> Result<Dashboard, ApiError> {
    tokio::try_join!(user, orders, unread)?;
    Ok(Dashboard { user: "Ada".to_string(), orders: vec![17, 42], unread: 3 })
}

/// A pretend API call: answers `value` after `ms` milliseconds.
async fn call<T>(ms: u64, value: Result<T, ApiError>) -> Result<T, ApiError> {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    value
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let dashboard = load_dashboard(
        call(300, Ok("Ada".to_string())),
        call(300, Ok(vec![17, 42])),
        call(300, Ok(3)),
    )
    .await;
    println!("{dashboard:?} after {:?}", started.elapsed());

    let started = Instant::now();
    let failed = load_dashboard(
        call(1000, Ok("Ada".to_string())),
        call(100, Err(ApiError("orders: 503 Service Unavailable".to_string()))),
        call(1000, Ok(3)),
    )
    .await;
    println!("{failed:?} after {:?}", started.elapsed());
}
