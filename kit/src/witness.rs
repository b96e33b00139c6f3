//! Work done in child processes, witnessed by the check's process.
//!
//! A [`Server`] listens on a Unix socket at the path named in [`SOCKET_ENV`] (concur gives
//! every check and every `concur run` its own, in the run's scratch folder). A workload called in
//! a process without a bench of its own ([`report`]) connects, says `begin` with its label, does
//! the work, and says `end`. The server times both on its own clock, asks the kernel who the
//! caller is (`SO_PEERCRED`), and reads the CPU time the calling thread used in between from
//! `/proc`. So a span's pid, start and end come from the check's side; the child only chooses
//! which workload it runs, and a span exists only for work a real process waited or computed
//! through.
//!
//! In: connections from child processes. Out: spans pushed into the bench's trace.

use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::trace::{now_us, Span, Trace};

/// Names the witness socket; set by concur for every check and program run.
pub const SOCKET_ENV: &str = "CONCUR_WORK_SOCKET";

/// How often the accepting thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(20);

/// One line from a child.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    /// Work labelled `label` starts now on thread `thread` (its kernel id `tid`); `cpu` asks
    /// for the CPU time the thread uses during it.
    Begin {
        label: String,
        thread: String,
        tid: i32,
        #[serde(default)]
        cpu: bool,
    },
    /// The work begun last on this connection has ended.
    End,
}

/// The check side (or `concur run`'s): accepts children's reports while it lives.
pub struct Server {
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    path: PathBuf,
}

impl Server {
    /// Listens at `$CONCUR_WORK_SOCKET`, or, outside concur, at a fresh path it then sets in
    /// that variable for the children to inherit.
    pub(crate) fn start(trace: Trace) -> io::Result<Server> {
        let path = match std::env::var_os(SOCKET_ENV).filter(|p| !p.is_empty()) {
            Some(path) => PathBuf::from(path),
            None => {
                let path = std::env::temp_dir().join(format!(
                    "concur-work-{}-{}.sock",
                    std::process::id(),
                    now_us()
                ));
                std::env::set_var(SOCKET_ENV, &path);
                path
            }
        };
        Server::listen(path, trace)
    }

    /// Listens at `path`, recording every child's span into `trace`.
    pub fn listen(path: PathBuf, trace: Trace) -> io::Result<Server> {
        // A socket left by an earlier bench in this run; binding over it would fail.
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path)?;
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let acceptor = std::thread::Builder::new()
            .name("concur-kit-witness".into())
            .spawn(move || accept(listener, trace, flag))?;
        Ok(Server {
            stop,
            acceptor: Some(acceptor),
            path,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

fn accept(listener: UnixListener, trace: Trace, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let trace = trace.clone();
                // A connection that cannot get a thread is lost work, which the check reports.
                let _ = std::thread::Builder::new()
                    .name("concur-kit-witnessed".into())
                    .spawn(move || serve(stream, &trace));
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// Turns one child's begin/end lines into spans.
fn serve(stream: UnixStream, trace: &Trace) {
    let _ = stream.set_nonblocking(false);
    let Some(pid) = peer_pid(&stream) else { return };
    let mut reply = match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    };
    let mut open: Option<(String, String, i32, u64, Option<u64>)> = None;
    // One connection per thread of the child, reused for every span it reports.
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { break };
        let Ok(request) = serde_json::from_str::<Request>(&line) else {
            break;
        };
        match request {
            Request::Begin {
                label,
                thread,
                tid,
                cpu,
            } => {
                let cpu = if cpu { thread_cpu_us(pid, tid) } else { None };
                open = Some((label, thread, tid, now_us(), cpu));
            }
            Request::End => {
                let Some((label, thread, tid, start, cpu_start)) = open.take() else {
                    break;
                };
                let mut span = Span::new(label, start, now_us(), thread, pid);
                span.cpu_us = cpu_start
                    .zip(thread_cpu_us(pid, tid))
                    .map(|(a, b)| b.saturating_sub(a));
                trace.push(span);
            }
        }
        // The child waits for this before it works (begin) or returns (end), so the span
        // covers its work entirely.
        if reply.write_all(b"ok\n").is_err() {
            break;
        }
    }
}

/// The pid of the process at the other end, as the kernel recorded it at `connect`.
fn peer_pid(stream: &UnixStream) -> Option<u32> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: SO_PEERCRED writes at most `len` bytes into `cred`, a live local.
    let ok = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    } == 0;
    (ok && cred.pid > 0).then_some(cred.pid as u32)
}

/// CPU time of thread `tid` of process `pid`, in microseconds, from its `schedstat` (which
/// exists only when `tid` really is a thread of `pid`).
fn thread_cpu_us(pid: u32, tid: i32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat")).ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1000)
}

/// The child side: this thread's connection to the check's witness, opened on first use and
/// kept for every later span (so a worker answering thousands of jobs pays one connect).
pub(crate) struct Report;

struct Connection {
    stream: UnixStream,
    replies: BufReader<UnixStream>,
}

thread_local! {
    static CONNECTION: std::cell::RefCell<Option<Connection>> = const { std::cell::RefCell::new(None) };
}

impl Report {
    /// Opens a span `label` at the witness named in the environment, if there is one; with
    /// `cpu`, the witness also measures the CPU time this thread uses during the span.
    pub(crate) fn begin(label: &str, cpu: bool) -> Option<Report> {
        let begin = Request::Begin {
            label: label.to_string(),
            thread: crate::trace::current_thread(),
            // SAFETY: gettid takes no arguments and cannot fail.
            tid: unsafe { libc::gettid() },
            cpu,
        };
        say(&begin).then_some(Report)
    }

    /// Closes the span; returns when the witness has recorded it.
    pub(crate) fn end(self) {
        say(&Request::End);
    }
}

fn connect() -> Option<Connection> {
    let path = std::env::var_os(SOCKET_ENV).filter(|p| !p.is_empty())?;
    let stream = UnixStream::connect(path).ok()?;
    let replies = BufReader::new(stream.try_clone().ok()?);
    Some(Connection { stream, replies })
}

/// Sends one request on this thread's connection and waits for the answer; a broken
/// connection is dropped, so the next span connects again.
fn say(request: &Request) -> bool {
    let Ok(mut line) = serde_json::to_vec(request) else {
        return false;
    };
    line.push(b'\n');
    CONNECTION.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = connect();
        }
        let Some(conn) = slot.as_mut() else {
            return false;
        };
        let mut answer = String::new();
        let ok = conn.stream.write_all(&line).is_ok()
            && conn.replies.read_line(&mut answer).is_ok_and(|n| n > 0);
        if !ok {
            *slot = None;
        }
        ok
    })
}
