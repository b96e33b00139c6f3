// Correct alternative for select_timeout: the timeout is a third channel,
// `crossbeam::channel::after(quiet)`, made anew after every message; closed
// channels are kept as `Option`s and waited on as `never()`.

use std::time::Duration;

use crossbeam::channel::{after, never, select, Receiver};

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
    let mut readings = Some(readings);
    let mut alerts = Some(alerts);
    let mut timer = after(quiet);
    while readings.is_some() || alerts.is_some() {
        let r = readings.clone().unwrap_or_else(never);
        let a = alerts.clone().unwrap_or_else(never);
        select! {
            recv(r) -> msg => match msg {
                Ok(v) => {
                    log.push(Event::Reading(v));
                    timer = after(quiet);
                }
                Err(_) => readings = None,
            },
            recv(a) -> msg => match msg {
                Ok(t) => {
                    log.push(Event::Alert(t));
                    timer = after(quiet);
                }
                Err(_) => alerts = None,
            },
            recv(timer) -> _ => return (log, Stopped::Quiet),
        }
    }
    (log, Stopped::Closed)
}

fn main() {}
