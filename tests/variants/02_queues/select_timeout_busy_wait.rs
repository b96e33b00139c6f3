// expect-fail: waiting_does_not_spin_the_cpu
//
// Wrong variant of select_timeout: polls both channels with `try_recv` in a tight
// loop. It gets every answer right, and keeps a CPU core busy doing nothing.

use std::time::{Duration, Instant};

use crossbeam::channel::{Receiver, TryRecvError};

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
    let mut last = Instant::now();
    let (mut r_open, mut a_open) = (true, true);
    loop {
        if r_open {
            match readings.try_recv() {
                Ok(v) => { log.push(Event::Reading(v)); last = Instant::now(); }
                Err(TryRecvError::Disconnected) => r_open = false,
                Err(TryRecvError::Empty) => {}
            }
        }
        if a_open {
            match alerts.try_recv() {
                Ok(t) => { log.push(Event::Alert(t)); last = Instant::now(); }
                Err(TryRecvError::Disconnected) => a_open = false,
                Err(TryRecvError::Empty) => {}
            }
        }
        if !r_open && !a_open {
            return (log, Stopped::Closed);
        }
        if last.elapsed() >= quiet {
            return (log, Stopped::Quiet);
        }
    }
}

fn main() {}
