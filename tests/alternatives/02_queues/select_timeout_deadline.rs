// Correct alternative for select_timeout: an `Instant` deadline, moved on only
// when a message arrives; `select!` waits at most until it with
// `default(deadline - now)`. A closed channel becomes `never()`.

use std::time::{Duration, Instant};

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

pub fn monitor(readings: Receiver<u32>, alerts: Receiver<String>, quiet: Duration) -> (Vec<Event>, Stopped) {
    let mut log = Vec::new();
    let (mut readings, mut alerts) = (readings, alerts);
    let (mut readings_open, mut alerts_open) = (true, true);
    let mut deadline = Instant::now() + quiet;
    while readings_open || alerts_open {
        let left = deadline.saturating_duration_since(Instant::now());
        select! {
            recv(readings) -> msg => match msg {
                Ok(value) => {
                    log.push(Event::Reading(value));
                    deadline = Instant::now() + quiet;
                }
                Err(_) => {
                    readings = never();
                    readings_open = false;
                }
            },
            recv(alerts) -> msg => match msg {
                Ok(text) => {
                    log.push(Event::Alert(text));
                    deadline = Instant::now() + quiet;
                }
                Err(_) => {
                    alerts = never();
                    alerts_open = false;
                }
            },
            default(left) => return (log, Stopped::Quiet),
        }
    }
    (log, Stopped::Closed)
}

fn main() {}
