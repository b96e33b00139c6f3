//! The terminal in watch mode: raw mode on while watching, always restored.
//!
//! In: whether stdin and stdout are a terminal. Out: a guard that turns raw mode off when
//! dropped, and an interrupt hook that does the same when SIGTERM or SIGHUP ends concur.

use std::io::{IsTerminal, Write};

use crossterm::{cursor, terminal};

/// Raw mode for single-key input; restored on drop.
pub struct RawMode {
    active: bool,
}

impl RawMode {
    /// Enters raw mode when both stdin and stdout are a terminal.
    pub fn enter() -> RawMode {
        let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        let active = interactive && terminal::enable_raw_mode().is_ok();
        if active {
            crate::sandbox::set_interrupt_hook(restore);
        }
        RawMode { active }
    }

    pub fn is_active(&self) -> bool {
        self.active
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if self.active {
            restore();
        }
    }
}

/// Leaves raw mode and shows the cursor; safe to call more than once.
fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(out, cursor::Show);
    let _ = out.flush();
}
