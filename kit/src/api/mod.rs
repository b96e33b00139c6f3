//! The mock HTTP API the async exercises call, with a request log checks can read.
//!
//! [`MockApi::start`] binds 127.0.0.1 (the OS picks the port unless one is given) and serves on
//! its own tokio runtime in a background thread, so it works the same from a plain `#[test]`
//! and from inside `#[tokio::test]`. Every request passes through one gate ([`gate`]) that
//! counts it in flight, applies the rate limit, latency and failure injection, and logs it;
//! resources live in `routes.rs`, the log in `log.rs`. Dropping the [`MockApi`] stops the
//! server and frees the port.
//! In: an [`ApiConfig`] and HTTP requests. Out: responses, [`RequestRecord`]s, peak in flight.

mod log;
mod routes;

use std::future::IntoFuture;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use tokio::sync::oneshot;

pub use log::{RequestRecord, CLIENT_CLOSED};
pub use routes::{content, Content, MALFORMED_BODY, POSTS, ROUTES, USERS};

use crate::trace::Trace;
use log::RequestLog;

/// How long a stopping server lets in-flight requests (e.g. `/slow`) run before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(200);

/// How the mock API behaves.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// Added to every request but `/health` (a request's `?latency_ms=N` overrides it).
    pub latency: Duration,
    /// Every Nth admitted request (not counting `/health` or rate-limited ones) answers 500.
    pub fail_every: Option<u32>,
    /// Above this many admitted requests in flight, answer 429 with `Retry-After`.
    pub max_in_flight: Option<usize>,
    /// The seconds a 429 asks the client to wait (`Retry-After`), 1 by default.
    pub retry_after_secs: u64,
    /// Makes every name, email, title and body carry a token of this run (see
    /// [`content`]), so an answer cannot be written down in advance; 0 keeps them plain.
    pub salt: u64,
    /// How many users exist (`/users/{id}` and the pages of `/users`), 100 by default.
    pub users: u32,
    /// Port on 127.0.0.1; 0 lets the OS pick.
    pub port: u16,
}

impl Default for ApiConfig {
    fn default() -> ApiConfig {
        ApiConfig {
            latency: Duration::ZERO,
            fail_every: None,
            max_in_flight: None,
            retry_after_secs: 1,
            salt: 0,
            users: routes::USERS,
            port: 0,
        }
    }
}

struct Shared {
    config: ApiConfig,
    log: Arc<RequestLog>,
}

/// A running mock API; dropping it shuts the server down.
pub struct MockApi {
    addr: SocketAddr,
    log: Arc<RequestLog>,
    // Behind a mutex only so `&MockApi` is `RefUnwindSafe`: checks use it under catch_unwind.
    server: Mutex<Server>,
}

struct Server {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MockApi {
    fn server(&mut self) -> &mut Server {
        self.server.get_mut().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for MockApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockApi").field("addr", &self.addr).finish()
    }
}

impl MockApi {
    /// Bind and start serving; returns once the socket is listening.
    pub fn start(config: ApiConfig) -> io::Result<MockApi> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("concur-mock-api-worker")
            .enable_all()
            .build()?;

        let log = Arc::new(RequestLog::default());
        let shared = Arc::new(Shared {
            config,
            log: Arc::clone(&log),
        });
        let app = routes::router().layer(from_fn_with_state(shared, gate));
        let (shutdown, stop) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();

        let server = std::thread::Builder::new()
            .name("concur-mock-api".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    tokio::select! {
                        served = axum::serve(listener, app).into_future() => {
                            if let Err(e) = served {
                                eprintln!("concur mock API stopped: {e}");
                            }
                        }
                        _ = stop => {}
                    }
                });
                // The listener is closed by now; this drops open connections and requests.
                runtime.shutdown_timeout(SHUTDOWN_GRACE);
            })?;

        let api = MockApi {
            addr,
            log,
            server: Mutex::new(Server {
                shutdown: Some(shutdown),
                thread: Some(server),
            }),
        };
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(api),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(io::Error::other(
                "the mock API thread ended before listening",
            )),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every finished request so far, sorted by arrival.
    pub fn log(&self) -> Vec<RequestRecord> {
        self.log.records()
    }

    /// The most requests ever in flight at once (rate-limited ones included).
    pub fn peak_in_flight(&self) -> usize {
        self.log.peak()
    }

    /// One span per finished request (label = path), one row per request, for timeline pictures.
    pub fn trace(&self) -> Trace {
        self.log.trace()
    }

    /// Call `logger` with each request as it finishes (e.g. `concur serve` prints a line).
    pub fn set_request_logger(&self, logger: impl Fn(&RequestRecord) + Send + Sync + 'static) {
        self.log.set_logger(Some(Arc::new(logger)));
    }

    /// Serve until the process ends (for `concur serve`; the caller prints the URL first).
    pub fn serve_forever(mut self) {
        if let Some(server) = self.server().thread.take() {
            // The server thread only ends if serving failed, which it reported itself.
            let _ = server.join();
        }
    }

    /// `(route, description)` pairs for help text.
    pub fn routes() -> &'static [(&'static str, &'static str)] {
        ROUTES
    }
}

impl Drop for MockApi {
    fn drop(&mut self) {
        let server = self.server();
        if let Some(shutdown) = server.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = server.thread.take() {
            let _ = server.join();
        }
    }
}

/// Wraps every route: in-flight accounting and logging for all; rate limit, latency and
/// failure injection for all but `/health`.
async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_string(),
        |p| p.as_str().to_string(),
    );
    let mut in_flight = shared.log.enter(method, path);
    let mut request = request;
    request.extensions_mut().insert(Content {
        salt: shared.config.salt,
        users: shared.config.users,
    });

    let response = if request.uri().path() == "/health" {
        next.run(request).await
    } else {
        let config = &shared.config;
        match in_flight.admit(config.max_in_flight) {
            None => too_many_requests(config.max_in_flight.unwrap_or(0), config.retry_after_secs),
            Some(number) => {
                let latency = latency_override(request.uri().query()).unwrap_or(config.latency);
                tokio::time::sleep(latency).await;
                match config.fail_every {
                    Some(n) if n > 0 && number % u64::from(n) == 0 => routes::error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("injected failure: every request number divisible by {n} fails (this was number {number})"),
                    ),
                    _ => next.run(request).await,
                }
            }
        }
    };
    in_flight.finish(response.status().as_u16());
    response
}

fn too_many_requests(max: usize, retry_after: u64) -> Response {
    let mut response = routes::error(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many requests in flight (limit {max}); retry after {retry_after} s"),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// `latency_ms=N` in a query string.
fn latency_override(query: Option<&str>) -> Option<Duration> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "latency_ms")
        .and_then(|(_, value)| value.parse::<u64>().ok())
        .map(Duration::from_millis)
}
