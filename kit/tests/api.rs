//! The mock API over real sockets: resources, concurrency accounting, failure injection,
//! rate limiting, shutdown.

mod common;

use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::get;
use concur_kit::api::{ApiConfig, MockApi, MALFORMED_BODY};

fn start(config: ApiConfig) -> MockApi {
    MockApi::start(config).expect("start mock API")
}

/// Fire `n` GETs of `path` at once from `n` threads; returns the statuses and the elapsed time.
fn burst(api: &MockApi, n: usize, path: &str) -> (Vec<common::Reply>, Duration) {
    let barrier = Arc::new(Barrier::new(n));
    let started = Instant::now();
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (addr, path, barrier) = (api.addr(), path.to_string(), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                get(addr, &path)
            })
        })
        .collect();
    let replies = handles
        .into_iter()
        .map(|h| h.join().expect("client thread"))
        .collect();
    (replies, started.elapsed())
}

#[test]
fn resources_are_deterministic_json() {
    let api = start(ApiConfig::default());
    assert!(api.url().starts_with("http://127.0.0.1:"));

    let user = get(api.addr(), "/users/3");
    assert_eq!(user.status, 200);
    assert_eq!(
        user.body,
        r#"{"id":3,"name":"User 3","email":"user3@example.test"}"#
    );
    assert!(user
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));

    let missing = get(api.addr(), "/users/101");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, r#"{"error":"no user 101"}"#);
    assert_eq!(get(api.addr(), "/users/abc").status, 404);

    let post = get(api.addr(), "/posts/107").json();
    assert_eq!(post["id"], 107);
    assert_eq!(post["user_id"], 7);
    assert_eq!(post["title"], "Post 107");
    assert_eq!(get(api.addr(), "/posts/501").status, 404);

    assert_eq!(get(api.addr(), "/health").body, r#"{"ok":true}"#);

    let malformed = get(api.addr(), "/malformed");
    assert_eq!(malformed.status, 200);
    assert_eq!(malformed.body, MALFORMED_BODY);
    assert!(serde_json::from_str::<serde_json::Value>(&malformed.body).is_err());

    assert_eq!(get(api.addr(), "/nope").status, 404);

    let log = api.log();
    assert_eq!(log.len(), 8);
    assert_eq!(log[7].path, "/nope");
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/users/3");
    assert_eq!(log[0].status, 200);
    assert_eq!(log[0].in_flight_at_start, 1);
    assert!(MockApi::routes()
        .iter()
        .any(|(r, _)| r.contains("/users/{id}")));
}

#[test]
fn pagination_follows_next_links() {
    let api = start(ApiConfig::default());
    let first = get(api.addr(), "/users").json();
    assert_eq!(first["page"], 1);
    assert_eq!(first["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(first["next"], "/users?page=2&per_page=10");

    let mut path = "/users?per_page=30".to_string();
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        let page = get(api.addr(), &path).json();
        pages += 1;
        let items = page["items"].as_array().expect("items array");
        ids.extend(items.iter().map(|u| u["id"].as_u64().expect("id")));
        match page["next"].as_str() {
            Some(next) => path = next.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(ids, (1..=100).collect::<Vec<u64>>());

    let capped = get(api.addr(), "/users?per_page=500").json();
    assert_eq!(capped["items"].as_array().map(Vec::len), Some(50));
    assert_eq!(get(api.addr(), "/users?page=0").status, 400);
}

#[test]
fn ten_concurrent_requests_overlap() {
    let api = start(ApiConfig {
        latency: Duration::from_millis(200),
        ..ApiConfig::default()
    });
    let (replies, elapsed) = burst(&api, 10, "/users/1");
    assert!(replies.iter().all(|r| r.status == 200));
    assert_eq!(api.peak_in_flight(), 10);
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(200), "latency not applied");
    let trace = api.trace();
    assert_eq!(trace.len(), 10);
    assert_eq!(trace.peak_overlap(), 10);
    concur_kit::assert_in_flight_at_least(&api, 10, "requests");
}

#[test]
fn sequential_requests_never_overlap_and_the_check_says_so() {
    let api = start(ApiConfig {
        latency: Duration::from_millis(20),
        ..ApiConfig::default()
    });
    for id in 1..=3 {
        assert_eq!(get(api.addr(), &format!("/users/{id}")).status, 200);
    }
    assert_eq!(api.peak_in_flight(), 1);
    let err = std::panic::catch_unwind(|| {
        concur_kit::assert_in_flight_at_least(&api, 3, "requests");
    })
    .expect_err("sequential requests must fail the check");
    let message = err.downcast_ref::<String>().expect("string panic");
    assert!(
        message.contains("at most 1 of the 3 requests were in flight"),
        "{message}"
    );
    assert!(message.contains("request 1 |"), "{message}");
}

#[test]
fn latency_query_overrides_config_and_health_is_instant() {
    let api = start(ApiConfig {
        latency: Duration::from_secs(1),
        ..ApiConfig::default()
    });
    let started = Instant::now();
    assert_eq!(get(api.addr(), "/health").status, 200);
    assert_eq!(get(api.addr(), "/users/1?latency_ms=0").status, 200);
    assert!(started.elapsed() < Duration::from_millis(900));
    let started = Instant::now();
    assert_eq!(get(api.addr(), "/slow?ms=150").body, r#"{"slow":true}"#);
    assert!(started.elapsed() >= Duration::from_millis(1150));
}

#[test]
fn every_third_request_fails() {
    let api = start(ApiConfig {
        fail_every: Some(3),
        ..ApiConfig::default()
    });
    let statuses: Vec<u16> = (0..6).map(|_| get(api.addr(), "/users/5").status).collect();
    assert_eq!(statuses, [200, 200, 500, 200, 200, 500]);
    // /health is neither counted nor failed.
    assert_eq!(get(api.addr(), "/health").status, 200);
    assert_eq!(get(api.addr(), "/users/5").status, 200);
    assert_eq!(api.log().last().map(|r| r.status), Some(200));
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    let api = start(ApiConfig {
        latency: Duration::from_millis(300),
        max_in_flight: Some(2),
        ..ApiConfig::default()
    });
    let (replies, _) = burst(&api, 5, "/posts/1");
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let limited: Vec<_> = replies.iter().filter(|r| r.status == 429).collect();
    assert_eq!(ok + limited.len(), 5);
    assert!((1..=2).contains(&ok), "{ok} succeeded");
    assert!(!limited.is_empty(), "no request was rate-limited");
    assert!(limited.iter().all(|r| r.header("retry-after") == Some("1")));
    assert_eq!(
        api.log().iter().filter(|r| r.status == 429).count(),
        limited.len()
    );
}

#[test]
fn request_logger_sees_each_request() {
    let api = start(ApiConfig::default());
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    api.set_request_logger(move |r| sink.lock().expect("lock").push(r.to_string()));
    get(api.addr(), "/users/2");
    let lines = lines.lock().expect("lock");
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("GET /users/2 → 200 in "),
        "{}",
        lines[0]
    );
}

#[test]
fn dropping_frees_the_port() {
    let api = start(ApiConfig {
        latency: Duration::from_millis(0),
        ..ApiConfig::default()
    });
    let port = api.addr().port();
    assert_eq!(get(api.addr(), "/health").status, 200);
    // A request still running must not keep the server alive.
    let addr = api.addr();
    let pending = thread::spawn(move || {
        let _ = std::panic::catch_unwind(|| get(addr, "/slow?ms=10000"));
    });
    thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    drop(api);
    assert!(started.elapsed() < Duration::from_secs(2));
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("port is free after drop");
    let again = start(ApiConfig {
        port,
        ..ApiConfig::default()
    });
    assert_eq!(again.addr().port(), port);
    assert_eq!(get(again.addr(), "/health").status, 200);
    pending.join().expect("pending client thread");
}

#[tokio::test]
async fn works_inside_a_tokio_runtime() {
    let api = start(ApiConfig::default());
    let addr = api.addr();
    let reply = tokio::task::spawn_blocking(move || get(addr, "/users/9"))
        .await
        .expect("blocking client");
    assert_eq!(reply.json()["name"], "User 9");
    drop(api);
}
