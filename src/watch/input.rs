//! Reading the learner's commands: single keys on a terminal, lines on a pipe.
//!
//! In: the terminal (raw mode, via crossterm) or stdin lines. Out: [`Event::Key`]s on the
//! loop's channel, from a thread of their own.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};

use super::event::{Event, Key};

/// Lets the loop hand the terminal to another program (the learner's editor) and back: while
/// paused, the key reader reads nothing.
#[derive(Clone, Default)]
pub struct KeyReader {
    paused: Arc<AtomicBool>,
    parked: Arc<AtomicBool>,
}

impl KeyReader {
    /// Stops reading keys; returns once the reader is parked.
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
        while !self.parked.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }
}

/// Reads single key presses from the terminal (already in raw mode).
pub fn spawn_keys(tx: Sender<Event>) -> KeyReader {
    let reader = KeyReader::default();
    let control = reader.clone();
    std::thread::spawn(move || loop {
        if control.paused.load(Ordering::SeqCst) {
            control.parked.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        control.parked.store(false, Ordering::SeqCst);
        // Waiting in short polls, so a pause takes effect between them.
        match event::poll(Duration::from_millis(50)) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(_) => {
                let _ = tx.send(Event::InputClosed);
                return;
            }
        }
        let Ok(event) = event::read() else {
            let _ = tx.send(Event::InputClosed);
            return;
        };
        let key = match event {
            TermEvent::Key(key) => key,
            TermEvent::Resize(..) => {
                if tx.send(Event::Resized).is_err() {
                    return;
                }
                continue;
            }
            _ => continue,
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        let mapped = match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Key::Interrupt,
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Tab => Key::Tab,
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Escape,
            KeyCode::Backspace => Key::Backspace,
            _ => Key::Other,
        };
        if tx.send(Event::Key(mapped)).is_err() {
            return;
        }
    });
    reader
}

/// Reads commands, one per line, from a stdin that is not a terminal.
pub fn spawn_lines(tx: Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let keys = Key::from_line(&line);
            let events: Vec<Event> = if keys == [Key::Other] {
                vec![Event::Unknown(line.trim().to_string())]
            } else {
                keys.into_iter().map(Event::Key).collect()
            };
            for event in events {
                if tx.send(event).is_err() {
                    return;
                }
            }
        }
        let _ = tx.send(Event::InputClosed);
    });
}
