// join! and try_join!
//
// A dashboard page needs three things from the API: the user's name, their
// orders and their unread message count. The three requests do not depend on
// each other, so there is no reason to wait for one before sending the next.
//
// `tokio::join!(a, b, c)` awaits several futures at once, inside the current
// task, and gives back all their outputs as a tuple. The futures can have
// different output types, and they need not be 'static or Send, which
// `tokio::spawn` would require. `tokio::try_join!` does the same for futures
// that return `Result`: it gives `Ok` with every value, or the first `Err` as
// soon as it happens, dropping the futures still running instead of waiting
// for them.
//
// Your task: make `load_dashboard` wait for the three requests at the same
// time, and return the first error as soon as one of them fails.
//
// `concur run join_dashboard` runs `main`.

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

/// Loads the three parts of the dashboard. Any error is returned as it is.
pub async fn load_dashboard(
    user: impl Future<Output = Result<String, ApiError>>,
    orders: impl Future<Output = Result<Vec<u32>, ApiError>>,
    unread: impl Future<Output = Result<usize, ApiError>>,
) -> Result<Dashboard, ApiError> {
    // TODO: these requests wait one after another. Wait for all three at
    // once, and stop at the first error.
    let user = user.await?;
    let orders = orders.await?;
    let unread = unread.await?;
    Ok(Dashboard { user, orders, unread })
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
