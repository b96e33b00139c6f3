//! Hidden checks for `02_queues/select_timeout`.
//!
//! A scripted sensor thread sends on the two channels. To make the arrival order exact on a
//! busy machine, it waits (up to 1 s) until a message has been taken before it sends on the
//! other channel. The reading values are drawn per run (`seed::Inputs`). A script can close
//! the alerts channel while readings still come (its sender is really dropped: the check
//! keeps no other copy). The quiet checks keep the channels that are still open silent and
//! judge when `monitor` returned relative to the last message, also when one channel closed
//! before. The CPU check does not compare CPU time with the wall clock (a spinning thread gets
//! little CPU when the cores are busy): it reads the scheduler's account of the thread that
//! called `monitor` (/proc/thread-self/schedstat), the time it spent running *or waiting to
//! run*. A thread that spins is always one of the two, however busy the machine; a thread
//! blocked on a channel is neither.
//!
//! Which wrong variant (`tests/variants/02_queues/select_timeout_*.rs`) bites which check:
//! - `waiting_does_not_spin_the_cpu`: `_busy_wait` (a `try_recv` loop);
//! - `stops_after_a_quiet_period`: `_no_timeout`;
//! - `stops_when_both_channels_close`: `_stops_on_first_close` (returns when one closes);
//! - `stops_after_a_quiet_period_with_one_channel_closed`: `_spins_on_closed` (keeps a closed
//!   channel in its `select!`, whose `Err` wakes it at once, so the silence never counts),
//!   `_stops_on_first_close`.

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
    /// How long the thread that ran `monitor` was running or waiting to run, if /proc tells.
    runnable: Option<Duration>,
}

/// Runs `monitor` against the script. With `hold_open`, the channels stay open (and silent)
/// after the script; otherwise they close when it ends.
fn run(script: Vec<Step>, quiet: Duration, hold_open: bool) -> Run {
    let (reading_tx, readings) = channel::unbounded::<u32>();
    let (alert_tx, alerts) = channel::unbounded::<String>();
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let before = runnable_time();
        let result = monitor(readings, alerts, quiet);
        let returned = Instant::now();
        let runnable = before.zip(runnable_time()).map(|(b, a)| a.saturating_sub(b));
        let _ = done_tx.send((result, returned, runnable));
    });
    let (last_sent, open) = play(script, reading_tx, alert_tx);
    let closed_alerts = open.1.is_none();
    // Only the senders the script has not closed are left; dropping them closes the rest.
    let held = if hold_open {
        Some(open)
    } else {
        drop(open);
        None
    };
    let outcome = done_rx.recv_timeout(DEADLINE);
    drop(held);
    match outcome {
        Ok(((log, stopped), returned, runnable)) => Run { log, stopped, last_sent, returned, runnable },
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => panic!("monitor panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("the runner sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) if hold_open => panic!(
            "monitor did not return within {DEADLINE:?}, though nothing arrived for \
             {} after the last message and `quiet` was {}. {}",
            ms(last_sent.elapsed()),
            ms(quiet),
            if closed_alerts {
                "The alerts channel had closed before, the readings channel stayed open. \
                 Waiting with `recv()` (or a `select!` without a timeout) waits forever on a \
                 channel that is open but silent; and a closed channel left in the `select!` \
                 answers `Err` at once on every pass, so the timeout never gets its turn."
            } else {
                "Both channels stayed open. Waiting with `recv()` (or a `select!` without a \
                 timeout) waits forever on a channel that is open but silent."
            }
        ),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "monitor did not return within {DEADLINE:?}, though both channels were closed. A \
             closed channel's `recv` fails at once: count the channels that have closed and \
             stop when both have."
        ),
    }
}

/// The senders a script has not closed.
type Open = (Option<Sender<u32>>, Option<Sender<String>>);

/// Plays the script; returns when the last message was sent, and the senders still open.
fn play(script: Vec<Step>, readings: Sender<u32>, alerts: Sender<String>) -> (Instant, Open) {
    let mut last_sent = Instant::now();
    let mut alerts = Some(alerts);
    for step in script {
        match step {
            Step::Reading(value) => {
                // Taken before sending: `monitor` can hear of the message no earlier, so the
                // silence it waited is never shorter than the one measured from here, however
                // long this thread waits for a CPU after the send.
                let sending = Instant::now();
                if readings.send(value).is_err() {
                    break; // monitor has returned or panicked; the caller reports it
                }
                last_sent = sending;
                taken(|| readings.is_empty());
            }
            Step::Alert(text) => {
                let tx = alerts.as_ref().expect("script sends no alert after closing");
                let sending = Instant::now();
                if tx.send(text.to_string()).is_err() {
                    break;
                }
                last_sent = sending;
                taken(|| tx.is_empty());
            }
            Step::Pause(d) => thread::sleep(d),
            Step::CloseAlerts => alerts = None,
        }
    }
    (last_sent, (Some(readings), alerts))
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

/// How long this thread has been running or waiting in a run queue, from the scheduler's
/// account in /proc/thread-self/schedstat (nanoseconds on CPU, nanoseconds runnable but waiting
/// for a CPU, timeslices). A thread blocked on a channel adds to neither.
fn runnable_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = stat.split_whitespace().map(|f| f.parse::<u64>().ok());
    let on_cpu = fields.next()??;
    let waiting = fields.next()??;
    Some(Duration::from_nanos(on_cpu + waiting))
}

/// Reading values for one run: `count` distinct numbers, drawn per run.
fn values(count: usize) -> Vec<u32> {
    Inputs::new()
        .distinct(count, 1, 99_999)
        .into_iter()
        .map(|v| v as u32)
        .collect()
}

use Step::*;
use concur_kit::check::panic_message;
use concur_kit::seed::Inputs;

#[test]
fn messages_from_both_channels_arrive_in_order() {
    let v = values(4);
    let pause = Pause(Duration::from_millis(20));
    let script = vec![
        Reading(v[0]), pause.clone(), Alert("a"), pause.clone(), Reading(v[1]), Reading(v[2]),
        pause.clone(), Alert("b"), Alert("c"), pause.clone(), Reading(v[3]),
    ];
    let run = run(script, Duration::from_secs(3), false);
    let expected = vec![
        Event::Reading(v[0]), Event::Alert("a".into()), Event::Reading(v[1]),
        Event::Reading(v[2]), Event::Alert("b".into()), Event::Alert("c".into()),
        Event::Reading(v[3]),
    ];
    assert_eq!(
        run.log, expected,
        "monitor logged {:?}; the messages were sent as {expected:?}. Wait on both channels \
         at once: while you wait on one, the other's messages pile up unseen.",
        run.log
    );
    assert_eq!(
        run.stopped,
        Stopped::Closed,
        "both channels were closed after the last message, but monitor returned {:?}",
        run.stopped
    );
}

#[test]
fn stops_when_both_channels_close() {
    let v = values(3);
    let script = vec![
        Reading(v[0]), Alert("a"), CloseAlerts,
        Pause(Duration::from_millis(100)), Reading(v[1]),
        Pause(Duration::from_millis(100)), Reading(v[2]),
    ];
    let quiet = Duration::from_secs(3);
    let run = run(script, quiet, false);
    let expected = vec![
        Event::Reading(v[0]), Event::Alert("a".into()), Event::Reading(v[1]),
        Event::Reading(v[2]),
    ];
    assert_eq!(
        run.log, expected,
        "the alerts channel was closed after the first alert while readings kept coming \
         (100 ms apart): monitor logged {:?}, expected {expected:?}. One closed channel is no \
         reason to stop listening to the other.",
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
    let v = values(4);
    let gap = Pause(Duration::from_millis(80));
    let mut script = Vec::new();
    for &value in &v {
        script.extend([Reading(value), gap.clone(), Alert("ping"), gap.clone()]);
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
    assert_quiet_stop(&run, quiet, "the channels were open but silent");
}

/// The alerts channel closes, readings go on for a while and then fall silent without closing:
/// `monitor` must still notice the silence.
#[test]
fn stops_after_a_quiet_period_with_one_channel_closed() {
    let v = values(3);
    let gap = Pause(Duration::from_millis(80));
    let script = vec![
        Reading(v[0]), gap.clone(), Alert("a"), CloseAlerts, gap.clone(), Reading(v[1]),
        gap, Reading(v[2]),
    ];
    let quiet = Duration::from_millis(400);
    let run = run(script, quiet, true);
    let expected = vec![
        Event::Reading(v[0]), Event::Alert("a".into()), Event::Reading(v[1]),
        Event::Reading(v[2]),
    ];
    assert_eq!(
        run.log, expected,
        "the alerts channel was closed after the first alert, readings went on and then fell \
         silent (still open): monitor logged {:?}, expected {expected:?}",
        run.log
    );
    assert_quiet_stop(
        &run,
        quiet,
        "the alerts channel was closed and the readings channel open but silent",
    );
}

/// `run` stopped with `Quiet`, at least `quiet` and not far more after the last message.
#[track_caller]
fn assert_quiet_stop(run: &Run, quiet: Duration, situation: &str) {
    assert_eq!(
        run.stopped,
        Stopped::Quiet,
        "{situation}, yet monitor returned {:?}",
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
    let v = values(2);
    let gap = Pause(Duration::from_millis(250));
    let script = vec![Reading(v[0]), gap.clone(), Alert("a"), gap.clone(), Reading(v[1]), gap];
    let Some(cpu_before) = cpu_time() else {
        eprintln!("/proc/self/stat is not readable here; CPU use not checked");
        return;
    };
    let started = Instant::now();
    let run = run(script, Duration::from_secs(3), false);
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
    let Some(runnable) = run.runnable else {
        eprintln!("/proc/thread-self/schedstat is not readable here; runnable time not checked");
        return;
    };
    let inside = run.returned.saturating_duration_since(started);
    assert!(
        runnable * 2 < inside,
        "monitor took {} for 3 messages 250 ms apart, and the thread running it was running \
         or waiting for a CPU during {} of them (the scheduler's count, whatever else the \
         machine is doing): it never really went to sleep. Something keeps asking the \
         channels whether a message has come yet (a loop around `try_recv`?). Let `select!` \
         do the waiting: a thread blocked on a channel is not runnable at all.",
        ms(inside),
        ms(runnable)
    );
}
