//! `concur hint NAME [--all]`: progressive hints, one more per call.
//!
//! In: an exercise name. Out: the next hint ("hint 2 of 3") or all of them; how many were
//! shown is remembered in the state file.

use std::io::Write;

use crate::error::Result;
use anstyle::Style;

use crate::cli::HintArgs;
use crate::course::Course;
use crate::exit;
use crate::state::State;

const BOLD: Style = Style::new().bold();

pub fn run(course: &Course, args: &HintArgs, out: &mut dyn Write) -> Result<u8> {
    let ex = course.exercise(&args.name)?;
    let total = ex.hints.len();
    if args.all {
        for (i, hint) in ex.hints.iter().enumerate() {
            writeln!(out, "{BOLD}hint {} of {total}{BOLD:#}\n{hint}\n", i + 1)?;
        }
        return Ok(exit::OK);
    }
    let mut state = State::open(&course.home);
    let shown = state.get(&ex.name).hints_shown;
    let next = (shown + 1).min(total);
    writeln!(
        out,
        "{BOLD}hint {next} of {total}{BOLD:#} for `{}`\n",
        ex.name
    )?;
    writeln!(out, "{}", ex.hints[next - 1])?;
    if next == total {
        writeln!(
            out,
            "\nThat was the last hint. `concur hint {} --all` shows them all.",
            ex.name
        )?;
    } else {
        writeln!(
            out,
            "\nStill stuck? Run `concur hint {}` again for a more concrete one.",
            ex.name
        )?;
    }
    state.set_hints_shown(&ex.name, next);
    state.save()?;
    Ok(exit::OK)
}
