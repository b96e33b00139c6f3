// Correct alternative for select_timeout: the dynamic `Select` builder instead of
// the `select!` macro. Closed channels are dropped from the set (kept as `Option`s),
// and `select_timeout` waits on what is left, without using the CPU.

use std::time::Duration;

use crossbeam::channel::{Receiver, Select};

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
    while readings.is_some() || alerts.is_some() {
        let mut sel = Select::new();
        let r_index = readings.as_ref().map(|r| sel.recv(r));
        let a_index = alerts.as_ref().map(|a| sel.recv(a));
        let Ok(op) = sel.select_timeout(quiet) else {
            return (log, Stopped::Quiet);
        };
        let index = op.index();
        if Some(index) == r_index {
            match op.recv(readings.as_ref().unwrap()) {
                Ok(v) => log.push(Event::Reading(v)),
                Err(_) => readings = None,
            }
        } else if Some(index) == a_index {
            match op.recv(alerts.as_ref().unwrap()) {
                Ok(t) => log.push(Event::Alert(t)),
                Err(_) => alerts = None,
            }
        }
    }
    (log, Stopped::Closed)
}

fn main() {}
