// Waiting on several channels, with a timeout.
//
// Reference solution. One `select!` waits on both channels and on the clock at
// once, without using the CPU. The `default(quiet)` arm starts counting anew on
// every pass through the loop, so the silence is measured from the last message.
// A closed channel is swapped for `never()`, so `select!` stops reporting it.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{self, never, select, Receiver};

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
pub fn monitor(
    mut readings: Receiver<u32>,
    mut alerts: Receiver<String>,
    quiet: Duration,
) -> (Vec<Event>, Stopped) {
    let mut log = Vec::new();
    let mut open = 2;
    while open > 0 {
        select! {
            recv(readings) -> reading => match reading {
                Ok(value) => log.push(Event::Reading(value)),
                Err(_) => {
                    readings = never();
                    open -= 1;
                }
            },
            recv(alerts) -> alert => match alert {
                Ok(text) => log.push(Event::Alert(text)),
                Err(_) => {
                    alerts = never();
                    open -= 1;
                }
            },
            default(quiet) => return (log, Stopped::Quiet),
        }
    }
    (log, Stopped::Closed)
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
