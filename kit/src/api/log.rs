//! The mock API's request log and in-flight counter.
//!
//! The gate middleware (in `mod.rs`) opens an [`InFlight`] guard when a request arrives and the
//! guard's drop closes it — also when the client hangs up mid-request, so the count never drifts.
//! In: request starts and ends. Out: [`RequestRecord`]s, the peak in flight, a [`Trace`].

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::timeline::fmt_duration;
use crate::trace::{now_us, Span, Trace};

/// Status recorded for a request whose client went away before it was answered (nginx's code).
pub const CLIENT_CLOSED: u16 = 499;

/// One request the mock API handled.
#[derive(Clone, Debug, Serialize)]
pub struct RequestRecord {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path including the query, e.g. `/users?page=2`.
    pub path: String,
    /// Arrival, on the kit's clock (comparable with [`crate::Span`]s of this process).
    pub start_us: u64,
    /// Completion, on the same clock.
    pub end_us: u64,
    /// HTTP status sent ([`CLIENT_CLOSED`] if the client hung up first).
    pub status: u16,
    /// Requests in flight when this one arrived, counting itself.
    pub in_flight_at_start: usize,
}

impl fmt::Display for RequestRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let took = std::time::Duration::from_micros(self.end_us.saturating_sub(self.start_us));
        write!(
            f,
            "{} {} → {} in {} ({} in flight)",
            self.method,
            self.path,
            self.status,
            fmt_duration(took),
            self.in_flight_at_start
        )
    }
}

pub(crate) type Logger = Arc<dyn Fn(&RequestRecord) + Send + Sync>;

#[derive(Default)]
pub(crate) struct RequestLog {
    records: Mutex<Vec<RequestRecord>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    /// Requests past the rate limiter (for failure injection).
    admitted_total: AtomicU64,
    /// Requests past the rate limiter and not finished (for the rate limit).
    admitted_now: AtomicUsize,
    logger: Mutex<Option<Logger>>,
}

impl RequestLog {
    pub(crate) fn enter(self: &Arc<Self>, method: String, path: String) -> InFlight {
        let in_flight_at_start = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(in_flight_at_start, Ordering::SeqCst);
        InFlight {
            log: Arc::clone(self),
            method,
            path,
            start_us: now_us(),
            in_flight_at_start,
            status: CLIENT_CLOSED,
            admitted: false,
        }
    }

    pub(crate) fn records(&self) -> Vec<RequestRecord> {
        let mut records = self.lock_records().clone();
        records.sort_by_key(|r| (r.start_us, r.end_us));
        records
    }

    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    pub(crate) fn set_logger(&self, logger: Option<Logger>) {
        *self.logger.lock().unwrap_or_else(|e| e.into_inner()) = logger;
    }

    /// One span per finished request, one row each in order of arrival, so requests awaited
    /// one by one draw a staircase and concurrent ones a block.
    pub(crate) fn trace(&self) -> Trace {
        let pid = std::process::id();
        let mut records = self.records();
        records.sort_by_key(|r| (r.start_us, r.end_us));
        let spans = records
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                Span::new(
                    r.path,
                    r.start_us,
                    r.end_us,
                    format!("request {}", i + 1),
                    pid,
                )
            })
            .collect();
        Trace::from_spans(spans)
    }

    fn lock_records(&self) -> std::sync::MutexGuard<'_, Vec<RequestRecord>> {
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A request being handled; dropping it records the request and frees its in-flight slot.
pub(crate) struct InFlight {
    log: Arc<RequestLog>,
    method: String,
    path: String,
    start_us: u64,
    in_flight_at_start: usize,
    status: u16,
    admitted: bool,
}

impl InFlight {
    /// Take a rate-limit slot if fewer than `max` are taken (no limit when `None`); on success
    /// returns this request's 1-based number among admitted requests.
    pub(crate) fn admit(&mut self, max: Option<usize>) -> Option<u64> {
        let now = self.log.admitted_now.fetch_add(1, Ordering::SeqCst) + 1;
        if max.is_some_and(|max| now > max) {
            self.log.admitted_now.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        self.admitted = true;
        Some(self.log.admitted_total.fetch_add(1, Ordering::SeqCst) + 1)
    }

    pub(crate) fn finish(&mut self, status: u16) {
        self.status = status;
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.admitted {
            self.log.admitted_now.fetch_sub(1, Ordering::SeqCst);
        }
        self.log.in_flight.fetch_sub(1, Ordering::SeqCst);
        let record = RequestRecord {
            method: std::mem::take(&mut self.method),
            path: std::mem::take(&mut self.path),
            start_us: self.start_us,
            end_us: now_us().max(self.start_us),
            status: self.status,
            in_flight_at_start: self.in_flight_at_start,
        };
        let logger = self
            .log
            .logger
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(logger) = logger {
            logger(&record);
        }
        self.log.lock_records().push(record);
    }
}
