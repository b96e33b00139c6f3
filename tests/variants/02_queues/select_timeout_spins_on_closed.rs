// expect-fail: stops_after_a_quiet_period_with_one_channel_closed
//
// Wrong variant of select_timeout: remembers which channel closed with a flag but
// keeps it in the `select!`. A closed channel answers `Err` at once on every
// pass, so once one has closed the loop spins and the timeout never fires.

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
    let (mut readings_closed, mut alerts_closed) = (false, false);
    while !(readings_closed && alerts_closed) {
        select! {
            recv(readings) -> r => match r {
                Ok(v) => log.push(Event::Reading(v)),
                Err(_) => readings_closed = true,
            },
            recv(alerts) -> a => match a {
                Ok(t) => log.push(Event::Alert(t)),
                Err(_) => alerts_closed = true,
            },
            default(quiet) => return (log, Stopped::Quiet),
        }
    }
    (log, Stopped::Closed)
}

fn main() {}
