// Waiting on several channels, with a timeout
//
// `recv()` waits on one channel, and it waits forever. A program that listens to
// two channels cannot block on one of them: messages on the other would pile up
// unseen. And a program that must notice *silence* (a sensor that stopped
// talking) needs to stop waiting after a while.
//
// `crossbeam::channel::select!` waits on several channels at once and runs the
// arm of the first one that is ready; a `default(duration)` arm runs when none
// was ready in time. When a channel closes, its `recv` arm gets an `Err`, every
// time you ask, so stop listening to it (`crossbeam::channel::never()` is a
// receiver that never delivers anything). What you must not do is spin in a loop
// asking "anything yet?": that burns a whole CPU core to do nothing.
//
// Your task: write `monitor`. It must
//   - log every reading and every alert, in the order they arrive,
//   - return `Stopped::Closed` once both channels are closed,
//   - return `Stopped::Quiet` when nothing arrived on either channel for
//     `quiet` (counted from the last message, not from the start),
//   - wait without using the CPU.
//
// `main` runs a small demo: `concur run select_timeout`.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{self, Receiver};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Reading(u32),
    Alert(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Both channels were closed.
    Closed,
    /// Nothing arrived for `quiet`.
    Quiet,
}

/// Logs what arrives on `readings` and `alerts`, in arrival order, until both are closed
/// or nothing arrived for `quiet`.
pub fn monitor(readings: Receiver<u32>, alerts: Receiver<String>, quiet: Duration) -> (Vec<Event>, Stopped) {
    // TODO: loop, waiting on both channels at once, with a timeout.
    todo!("monitor two channels, stopping after {quiet:?} of silence")
}

fn main() {
    let (reading_tx, readings) = channel::unbounded();
    let (alert_tx, alerts) = channel::unbounded();
    let sensor = thread::spawn(move || {
        for value in [20, 21, 25] {
            reading_tx.send(value).unwrap();
            thread::sleep(Duration::from_millis(200));
        }
        alert_tx.send("too warm".to_string()).unwrap();
        // Then the sensor goes silent, without closing its channels.
        thread::sleep(Duration::from_secs(2));
    });
    let started = Instant::now();
    let (log, stopped) = monitor(readings, alerts, Duration::from_millis(500));
    println!("{log:?}");
    println!("stopped: {stopped:?} after {:?}", started.elapsed());
    sensor.join().unwrap();
}
