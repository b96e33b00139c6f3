// expect-fail: stops_when_both_channels_close
// expect-fail: stops_after_a_quiet_period_with_one_channel_closed
//
// Wrong variant of select_timeout: one `select!` with a timeout, but the first
// closed channel ends the loop, so readings that still come are never logged.

use std::time::Duration;

use crossbeam::channel::{select, Receiver};

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
    loop {
        select! {
            recv(readings) -> r => match r {
                Ok(v) => log.push(Event::Reading(v)),
                Err(_) => return (log, Stopped::Closed),
            },
            recv(alerts) -> a => match a {
                Ok(t) => log.push(Event::Alert(t)),
                Err(_) => return (log, Stopped::Closed),
            },
            default(quiet) => return (log, Stopped::Quiet),
        }
    }
}

fn main() {}
