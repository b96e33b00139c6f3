//! Hidden checks for `02_queues/select_timeout`.
//!
//! A scripted sensor thread sends on the two channels. To make the arrival order exact on a
//! busy machine, it waits (up to 1 s) until a message has been taken before it sends on the
//! other channel. The quiet check keeps both channels open but silent and judges when
//! `monitor` returned relative to the last message; the CPU check reads this process's CPU
//! time from /proc while `monitor` waits between slow messages.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{self, Sender};

use crate::exercise::{monitor, Event, Stopped};

const DEADLINE: Duration = Duration::from_secs(5);

/// One step of the sensor's script.
#[derive(Clone)]
enum Step {
    Reading(u32),
    Alert(&'static str),
    Pause(Duration),
    CloseAlerts,
}

struct Run {
    log: Vec<Event>,
    stopped: Stopped,
    /// When the last message was sent, and when `monitor` returned.
    last_sent: Instant,
    returned: Instant,
}

/// Runs `monitor` against the script. With `hold_open`, the channels stay open (and silent)
/// after the script; otherwise they close when it ends.
fn run(script: Vec<Step>, quiet: Duration, hold_open: bool) -> Run {
    let (reading_tx, readings) = channel::unbounded::<u32>();
    let (alert_tx, alerts) = channel::unbounded::<String>();
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let result = monitor(readings, alerts, quiet);
        let _ = done_tx.send((result, Instant::now()));
    });
    let kept = (reading_tx.clone(), alert_tx.clone());
    let last_sent = play(script, reading_tx, alert_tx);
    if !hold_open {
        drop(kept);
    }
    match done_rx.recv_timeout(DEADLINE) {
        Ok(((log, stopped), returned)) => Run { log, stopped, last_sent, returned },
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("monitor panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) if hold_open => panic!(
            "monitor did not return within {DEADLINE:?}, though nothing arrived for \
             {} after the last message and `quiet` was {}. Waiting with `recv()` \
             (or a `select!` without a timeout) waits forever on a channel that is open but \
             silent.",
            ms(last_sent.elapsed()),
            ms(quiet)
        ),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "monitor did not return within {DEADLINE:?}, though both channels were closed. A \
             closed channel's `recv` fails at once: count the channels that have closed and \
             stop when both have."
        ),
    }
}

/// Plays the script; returns when the last message was sent.
fn play(script: Vec<Step>, readings: Sender<u32>, alerts: Sender<String>) -> Instant {
    let mut last_sent = Instant::now();
    let mut alerts = Some(alerts);
    for step in script {
        match step {
            Step::Reading(value) => {
                if readings.send(value).is_err() {
                    break; // monitor has returned or panicked; the caller reports it
                }
                last_sent = Instant::now();
                taken(|| readings.is_empty());
            }
            Step::Alert(text) => {
                let tx = alerts.as_ref().expect("script sends no alert after closing");
                if tx.send(text.to_string()).is_err() {
                    break;
                }
                last_sent = Instant::now();
                taken(|| tx.is_empty());
            }
            Step::Pause(d) => thread::sleep(d),
            Step::CloseAlerts => alerts = None,
        }
    }
    last_sent
}

/// Waits (at most 1 s) until the message just sent has been taken.
fn taken(is_empty: impl Fn() -> bool) {
    let since = Instant::now();
    while !is_empty() && since.elapsed() < Duration::from_secs(1) {
        thread::sleep(Duration::from_millis(1));
    }
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// CPU time (user + system) this process has used so far, if /proc tells.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces; the fields we want follow its closing ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports these in USER_HZ ticks, which is 100 per second on every platform Rust supports.
    Some(Duration::from_millis(ticks * 10))
}

use Step::*;
use concur_kit::check::panic_message;

#[test]
fn messages_from_both_channels_arrive_in_order() {
    let pause = Pause(Duration::from_millis(20));
    let script = vec![
        Reading(1), pause.clone(), Alert("a"), pause.clone(), Reading(2), Reading(3),
        pause.clone(), Alert("b"), Alert("c"), pause.clone(), Reading(4),
    ];
    let run = run(script, Duration::from_secs(3), false);
    let expected = vec![
        Event::Reading(1), Event::Alert("a".into()), Event::Reading(2), Event::Reading(3),
        Event::Alert("b".into()), Event::Alert("c".into()), Event::Reading(4),
    ];
    assert_eq!(
        run.log, expected,
        "monitor logged {:?}; the messages were sent as {expected:?}. Wait on both channels \
         at once: while you wait on one, the other's messages pile up unseen.",
        run.log
    );
}

#[test]
fn stops_when_both_channels_close() {
    let script = vec![
        Reading(1), Alert("a"), CloseAlerts,
        Pause(Duration::from_millis(100)), Reading(2),
        Pause(Duration::from_millis(100)), Reading(3),
    ];
    let quiet = Duration::from_secs(3);
    let run = run(script, quiet, false);
    let expected = vec![
        Event::Reading(1), Event::Alert("a".into()), Event::Reading(2), Event::Reading(3),
    ];
    assert_eq!(
        run.log, expected,
        "the alerts channel closed after the first alert, but readings kept coming: monitor \
         logged {:?}, expected {expected:?}. One closed channel is no reason to stop \
         listening to the other.",
        run.log
    );
    assert_eq!(
        run.stopped,
        Stopped::Closed,
        "both channels were closed, but monitor returned {:?}",
        run.stopped
    );
    let waited = run.returned.saturating_duration_since(run.last_sent);
    assert!(
        waited < Duration::from_secs(1),
        "monitor returned {} after both channels had closed: it should notice at once, not \
         wait for the {} timeout",
        ms(waited),
        ms(quiet)
    );
}

#[test]
fn stops_after_a_quiet_period() {
    let gap = Pause(Duration::from_millis(80));
    let mut script = Vec::new();
    for k in 1..=4 {
        script.extend([Reading(k), gap.clone(), Alert("ping"), gap.clone()]);
    }
    script.pop();
    let quiet = Duration::from_millis(400);
    let run = run(script, quiet, true);
    assert_eq!(
        run.log.len(),
        8,
        "8 messages were sent, 80 ms apart, but monitor logged {} before it stopped ({:?}): \
         the {} of silence are counted from the last message, not from the start",
        run.log.len(),
        run.log,
        ms(quiet)
    );
    assert_eq!(
        run.stopped,
        Stopped::Quiet,
        "the channels were open but silent, yet monitor returned {:?}",
        run.stopped
    );
    let silence = run.returned.saturating_duration_since(run.last_sent);
    assert!(
        silence + Duration::from_millis(2) >= quiet,
        "monitor gave up after only {} of silence; `quiet` was {}",
        ms(silence),
        ms(quiet)
    );
    assert!(
        silence < quiet + Duration::from_millis(1500),
        "monitor returned {} after the last message; `quiet` was {}, so it waited far too \
         long",
        ms(silence),
        ms(quiet)
    );
}

#[test]
fn waiting_does_not_spin_the_cpu() {
    let gap = Pause(Duration::from_millis(250));
    let script = vec![Reading(1), gap.clone(), Alert("a"), gap.clone(), Reading(2), gap];
    let Some(cpu_before) = cpu_time() else {
        eprintln!("/proc/self/stat is not readable here; CPU use not checked");
        return;
    };
    let started = Instant::now();
    run(script, Duration::from_secs(3), false);
    let wall = started.elapsed();
    let cpu = cpu_time().unwrap_or(cpu_before).saturating_sub(cpu_before);
    assert!(
        cpu * 6 < wall,
        "while monitor waited {} for 3 messages, this process used {} of CPU time: something \
         keeps asking the channels whether a message has come yet (a loop around `try_recv`?). \
         Let `select!` do the waiting: a thread blocked on a channel uses no CPU at all.",
        ms(wall),
        ms(cpu)
    );
}
