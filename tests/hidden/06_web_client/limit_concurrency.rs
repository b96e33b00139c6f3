//! Hidden checks for `06_web_client/limit_concurrency`.
//!
//! The learner's client fetches users from the kit's mock API with a concurrency limit. Every
//! request is held for a known latency, so requests that run together overlap at the server
//! for tens of milliseconds; the facts are the server's peak in flight (never above the limit,
//! and reaching it). The limit differs between checks, so a hard-coded number does not pass.
//! The ids and the API's salt are drawn per run, so the users cannot be made up from the ids.
//! `a_free_slot_is_filled_at_once` needs one slow request among fast ones, which the kit's API
//! cannot serve (its latency is the same for every `/users/{id}`), so it runs a small HTTP/1.1
//! server of its own on a runtime of its own: each request is a span on its own row, with a
//! latency drawn per id; the facts are that every short request ends before the slow one
//! (slots are refilled as they free up, not batch by batch), that every request lay inside
//! the call, and a wall bound a little above the slow request.
//! `tests/variants/06_web_client/` holds a client without a limit, one limited to 1, and one
//! that runs the ids in batches of `limit`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use concur_kit::api::{content, ApiConfig, Content, MockApi, USERS};
use concur_kit::call::call_async;
use concur_kit::check::{assert_each_once, assert_inside, assert_wall_below, TIMELINE_WIDTH};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::Trace;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::exercise::*;

const LATENCY: Duration = Duration::from_millis(100);
/// A client that has not finished by then is stuck; sequentially the longest check takes 1.5 s.
const DEADLINE: Duration = Duration::from_secs(6);

fn start_api(latency: Duration, salt: u64) -> MockApi {
    MockApi::start(ApiConfig { latency, salt, ..ApiConfig::default() })
        .unwrap_or_else(|error| panic!("could not start the mock API (not your code): {error}"))
}

async fn fetch(api: &MockApi, ids: &[u32], limit: usize) -> Vec<User> {
    match tokio::time::timeout(DEADLINE, fetch_users_limited(&api.url(), ids, limit)).await {
        Ok(Ok(users)) => users,
        Ok(Err(error)) => panic!("fetch_users_limited returned an error: {error}"),
        Err(_) => panic!(
            "fetch_users_limited({} ids, limit {limit}) did not finish within {DEADLINE:?}, \
             although even one request at a time would take {:?}; is a task waiting for a \
             permit that is never given back?",
            ids.len(),
            LATENCY * ids.len() as u32
        ),
    }
}

fn timeline(api: &MockApi) -> String {
    api.trace().timeline(TIMELINE_WIDTH)
}

#[test]
async fn users_come_back_in_the_order_of_ids() {
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let api = start_api(Duration::from_millis(20), salt);
    let n = inputs.between(7, 10) as usize;
    let mut ids: Vec<u32> = inputs.distinct(n, 1, u64::from(USERS)).into_iter().map(|id| id as u32).collect();
    // One id twice: each is its own request and its own place in the answer.
    let twice = ids[inputs.between(0, n as u64 - 1) as usize];
    ids.push(twice);
    inputs.shuffle(&mut ids);
    let users = fetch(&api, &ids, 3).await;
    let got: Vec<u32> = users.iter().map(|u| u.id).collect();
    assert_eq!(
        got, ids,
        "fetch_users_limited({ids:?}, limit 3) must return one user per id, in the order of \
         the ids (left: the ids of the users that came back, right: the ids asked for)"
    );
    let texts = content(salt, USERS);
    for user in &users {
        assert_eq!(
            (user.name.as_str(), user.email.as_str()),
            (texts.user_name(user.id).as_str(), texts.user_email(user.id).as_str()),
            "user {} came back with another name or email than the server sent (left: what \
             came back, right: the server's answer)",
            user.id
        );
    }
}

#[test]
async fn never_more_than_the_limit_in_flight() {
    let api = start_api(LATENCY, 0);
    let limit = 3;
    let ids: Vec<u32> = (1..=12).collect();
    fetch(&api, &ids, limit).await;
    let peak = api.peak_in_flight();
    if peak > limit {
        panic!(
            "{peak} requests were in flight at the same time, but the limit was {limit}: every \
             request must wait until fewer than {limit} others are in flight.\n\ntimeline:\n{}",
            timeline(&api)
        );
    }
}

#[test]
async fn the_limit_is_used_fully() {
    let api = start_api(LATENCY, 0);
    let limit = 5;
    let ids: Vec<u32> = (1..=15).collect();
    fetch(&api, &ids, limit).await;
    let peak = api.peak_in_flight();
    if peak == 1 {
        panic!(
            "requests ran one at a time: peak in flight 1, expected {limit} (the limit). The \
             limit is how many may run together, not a reason to run them one by \
             one.\n\ntimeline:\n{}",
            timeline(&api)
        );
    }
    if peak < limit {
        panic!(
            "at most {peak} requests were in flight at the same time, but the limit was \
             {limit}: {limit} may run together.\n\ntimeline:\n{}",
            timeline(&api)
        );
    }
}

/// A small HTTP/1.1 server of the check's own, for latencies that differ between ids: it
/// answers `GET /users/{id}` for the ids in `latencies` after that id's latency (a span on
/// a row of its own, named after the path), 404 for anything else. It runs on a runtime of its
/// own in a thread of its own, so nothing the learner's code does to the check's runtime holds
/// it up; it stops when the returned sender is dropped.
fn start_uneven_server(
    latencies: HashMap<u32, Duration>,
    texts: Content,
    trace: &Trace,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .unwrap_or_else(|error| panic!("could not start the check's server (not your code): {error}"));
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(error) => panic!("could not start the check's server (not your code): {error}"),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let latencies = Arc::new(latencies);
    let trace = trace.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("could not start the check's server (not your code): {error}"));
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .unwrap_or_else(|error| panic!("could not start the check's server (not your code): {error}"));
            let serve = async {
                loop {
                    if let Ok((socket, _)) = listener.accept().await {
                        tokio::spawn(serve_connection(socket, Arc::clone(&latencies), texts, trace.clone()));
                    }
                }
            };
            tokio::select! {
                () = serve => {}
                _ = stopped => {}
            }
        });
    });
    (url, stop)
}

/// Answers the requests of one keep-alive connection, one after another.
async fn serve_connection(
    socket: tokio::net::TcpStream,
    latencies: Arc<HashMap<u32, Duration>>,
    texts: Content,
    trace: Trace,
) {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        if !matches!(read.read_line(&mut request_line).await, Ok(n) if n > 0) {
            return;
        }
        loop {
            let mut header = String::new();
            match read.read_line(&mut header).await {
                Ok(0) | Err(_) => return,
                Ok(_) if header.trim_end().is_empty() => break,
                Ok(_) => {}
            }
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
        let id = path.strip_prefix("/users/").and_then(|id| id.parse::<u32>().ok());
        let (status, body) = match id.and_then(|id| latencies.get(&id).map(|latency| (id, *latency))) {
            Some((id, latency)) => {
                let _row = Row::open(&trace, &path);
                tokio::time::sleep(latency).await;
                let user = serde_json::json!({
                    "id": id,
                    "name": texts.user_name(id),
                    "email": texts.user_email(id),
                });
                ("200 OK", user.to_string())
            }
            None => ("404 Not Found", format!("{{\"error\":\"no such route: {path}\"}}")),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if write.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

#[test]
async fn a_free_slot_is_filled_at_once() {
    // One slow request among the first `limit` holds a slot; the short ones fit through the
    // other slots in well under its time, long before it ends.
    let mut inputs = Inputs::new();
    let salt = inputs.salt(1);
    let limit = inputs.between(3, 4) as usize;
    let shorts = 3 * (limit - 1);
    let ids: Vec<u32> =
        inputs.distinct(shorts + 1, 1, u64::from(USERS)).into_iter().map(|id| id as u32).collect();
    let slow_id = ids[inputs.between(0, limit as u64 - 1) as usize];
    let slow = Duration::from_millis(inputs.between(600, 700));
    let latencies: HashMap<u32, Duration> = ids
        .iter()
        .map(|id| (*id, if *id == slow_id { slow } else { Duration::from_millis(inputs.between(50, 70)) }))
        .collect();
    let longest_short = latencies.iter().filter(|(id, _)| **id != slow_id).map(|(_, l)| *l).max();
    let longest_short = longest_short.unwrap_or_default();
    let sequential: Duration = latencies.values().sum();
    let trace = Trace::new();
    let texts = content(salt, USERS);
    let (url, _stop) = start_uneven_server(latencies, texts, &trace);
    let what = format!("fetch_users_limited({} ids, limit {limit})", ids.len());
    let called = call_async(&what, DEADLINE, fetch_users_limited(&url, &ids, limit)).await;
    let users = match called.value {
        Ok(ref users) => users.clone(),
        Err(ref error) => panic!("{what} returned an error: {error}"),
    };
    let paths: Vec<String> = ids.iter().map(|id| format!("/users/{id}")).collect();
    assert_each_once(&trace, &paths, "requests");
    assert_inside(&trace, &called, "requests", "fetch_users_limited");
    let got: Vec<u32> = users.iter().map(|u| u.id).collect();
    assert_eq!(got, ids, "{what} must return one user per id, in the order of the ids (left: the ids of the users that came back, right: the ids asked for)");
    let slow_path = format!("/users/{slow_id}");
    let spans = trace.spans();
    let slow_end = spans.iter().find(|s| s.label == slow_path).map(|s| s.end_us).unwrap_or(0);
    let late: Vec<&str> = spans
        .iter()
        .filter(|s| s.label != slow_path && s.end_us > slow_end)
        .map(|s| s.label.as_str())
        .collect();
    if !late.is_empty() {
        panic!(
            "with limit {limit}, {slow_path} taking {} and the {shorts} others at most {} each, \
             the short ones fit through the other {} slot(s) while the slow one runs, but \
             {late:?} finished only after it. A slot that frees up must be used at once, not \
             when the whole batch is done.{}",
            fmt_duration(slow),
            fmt_duration(longest_short),
            limit - 1,
            picture(&trace, "requests")
        );
    }
    // The slow request, plus a few rounds of short ones should it have started last.
    let bound = slow + longest_short * shorts.div_ceil(limit) as u32 + Duration::from_millis(200);
    assert_wall_below(called.elapsed(), bound, sequential, &what);
}
