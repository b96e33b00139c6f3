// Correct alternative for select_timeout: `select!` with a timeout while both
// channels are open; once one has closed, a plain `recv_timeout` loop on the
// other one, which needs no select at all.

use std::time::Duration;

use crossbeam::channel::{select, Receiver, RecvTimeoutError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Reading(u32),
    Alert(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    Closed,
    Quiet,
}

pub fn monitor(readings: Receiver<u32>, alerts: Receiver<String>, quiet: Duration) -> (Vec<Event>, Stopped) {
    let mut log = Vec::new();
    // Both open: wait on both.
    let readings_left = loop {
        select! {
            recv(readings) -> msg => match msg {
                Ok(v) => log.push(Event::Reading(v)),
                Err(_) => break false,
            },
            recv(alerts) -> msg => match msg {
                Ok(t) => log.push(Event::Alert(t)),
                Err(_) => break true,
            },
            default(quiet) => return (log, Stopped::Quiet),
        }
    };
    // One closed: wait on the other alone.
    if readings_left {
        drain(&readings, &mut log, quiet, Event::Reading)
    } else {
        drain(&alerts, &mut log, quiet, Event::Alert)
    }
}

fn drain<T>(rx: &Receiver<T>, log: &mut Vec<Event>, quiet: Duration, event: fn(T) -> Event) -> (Vec<Event>, Stopped) {
    loop {
        match rx.recv_timeout(quiet) {
            Ok(msg) => log.push(event(msg)),
            Err(RecvTimeoutError::Disconnected) => return (std::mem::take(log), Stopped::Closed),
            Err(RecvTimeoutError::Timeout) => return (std::mem::take(log), Stopped::Quiet),
        }
    }
}

fn main() {}
