// Correct alternative of child_process: one scoped thread per number, each
// running its child to the end with `Command::output` (which waits for it).
// The threads all start before any is joined, so the children run at once;
// joining the handles in the order of the numbers keeps the squares in order.

use std::io;
use std::path::Path;
use std::process::{Command, ExitCode, Output};
use std::time::Instant;

use concur_kit::workload::slow_square;

/// The largest number the `square` mode accepts.
pub const LIMIT: u64 = 1_000_000;

/// Runs `program square <n>` and returns the square it prints.
pub fn square_in_child(program: &Path, n: u64) -> io::Result<u64> {
    let output = square_command(program, n).output()?;
    parse_answer(n, &output)
}

/// Runs one `program square <n>` per number, all at the same time, and returns
/// the squares in the order of `numbers`.
pub fn squares_in_children(program: &Path, numbers: &[u64]) -> io::Result<Vec<u64>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = numbers
            .iter()
            .map(|&n| scope.spawn(move || parse_answer(n, &square_command(program, n).output()?)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

fn square_command(program: &Path, n: u64) -> Command {
    let mut command = Command::new(program);
    command.arg("square").arg(n.to_string());
    command
}

/// The square a finished child printed, or an error with its status and stderr.
fn parse_answer(n: u64, output: &Output) -> io::Result<u64> {
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "`square {n}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.trim().parse().map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("`square {n}` printed {stdout:?}, not a number: {error}"),
        )
    })
}

/// Child mode, given: prints the square of the number in `arg`.
fn square_mode(arg: Option<String>) -> ExitCode {
    let Some(n) = arg.and_then(|arg| arg.parse::<u64>().ok()) else {
        eprintln!("usage: child_process square <number>");
        return ExitCode::from(2);
    };
    if n > LIMIT {
        eprintln!("{n} is too large to square (the limit is {LIMIT})");
        return ExitCode::from(3);
    }
    println!("{}", slow_square(n));
    ExitCode::SUCCESS
}

fn demo() -> io::Result<()> {
    let program = std::env::current_exe()?;
    println!("7 squared in a child: {}", square_in_child(&program, 7)?);
    match square_in_child(&program, LIMIT + 1) {
        Ok(square) => println!("{} squared in a child: {square}?!", LIMIT + 1),
        Err(error) => println!("{} squared in a child failed, as it should: {error}", LIMIT + 1),
    }
    let numbers = [1, 2, 3, 4, 5, 6];
    let started = Instant::now();
    let squares = squares_in_children(&program, &numbers)?;
    println!("{numbers:?} squared in {} children: {squares:?} in {:?}", numbers.len(), started.elapsed());
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("square") {
        return square_mode(args.next());
    }
    match demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("child_process: {error}");
            ExitCode::FAILURE
        }
    }
}
