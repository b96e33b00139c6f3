//! Reading the learner's commands: single keys on a terminal, lines on a pipe.
//!
//! In: the terminal (raw mode, via crossterm) or stdin lines. Out: [`Event::Key`]s on the
//! loop's channel, from a thread of their own.

use std::io::BufRead;
use std::sync::mpsc::Sender;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};

use super::event::{Event, Key};

/// Reads single key presses from the terminal (already in raw mode).
pub fn spawn_keys(tx: Sender<Event>) {
    std::thread::spawn(move || loop {
        let Ok(event) = event::read() else {
            let _ = tx.send(Event::InputClosed);
            return;
        };
        let TermEvent::Key(key) = event else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        let mapped = match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Key::Interrupt,
            KeyCode::Char(c) => Key::from_char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Escape,
            KeyCode::Backspace => Key::Backspace,
            _ => Key::Other,
        };
        if tx.send(Event::Key(mapped)).is_err() {
            return;
        }
    });
}

/// Reads commands, one per line, from a stdin that is not a terminal.
pub fn spawn_lines(tx: Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            for key in Key::from_line(&line) {
                if tx.send(Event::Key(key)).is_err() {
                    return;
                }
            }
        }
        let _ = tx.send(Event::InputClosed);
    });
}
