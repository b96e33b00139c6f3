// expect-fail: stops_after_a_quiet_period
// expect-fail: stops_after_a_quiet_period_with_one_channel_closed
//
// Wrong variant of select_timeout: `select!` without a timeout. It handles both
// channels and their closing, but waits forever on channels that fall silent.

use std::time::Duration;

use crossbeam::channel::{never, select, Receiver};

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

pub fn monitor(mut readings: Receiver<u32>, mut alerts: Receiver<String>, _quiet: Duration) -> (Vec<Event>, Stopped) {
    let mut log = Vec::new();
    let mut open = 2;
    while open > 0 {
        select! {
            recv(readings) -> r => match r {
                Ok(v) => log.push(Event::Reading(v)),
                Err(_) => { readings = never(); open -= 1; }
            },
            recv(alerts) -> a => match a {
                Ok(t) => log.push(Event::Alert(t)),
                Err(_) => { alerts = never(); open -= 1; }
            },
        }
    }
    (log, Stopped::Closed)
}

fn main() {}
