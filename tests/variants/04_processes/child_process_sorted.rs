// expect-fail: children_return_their_squares_in_order
//
// Wrong variant of child_process: it starts every child at once, collects the
// squares in the order the children finish (a thread per child sends its answer
// on a channel), then sorts them. With increasing numbers that looks right; the
// checks give numbers in no particular order.

use std::io;
use std::path::Path;
use std::process::{Child, Command, ExitCode, Output, Stdio};
use std::sync::mpsc;
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
    // Start every child before waiting for any, so that they all run at once.
    // If one fails to start, the children already running are still waited
    // for: `collect` stops at the first error and drops the rest, so wait for
    // the ones we have before returning it.
    let mut children: Vec<(u64, Child)> = Vec::with_capacity(numbers.len());
    for &n in numbers {
        let spawned = square_command(program, n)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => children.push((n, child)),
            Err(error) => {
                for (_, mut child) in children {
                    // Best effort: the spawn error is the one worth reporting.
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(error);
            }
        }
    }
    let (tx, rx) = mpsc::channel();
    for (n, child) in children {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let answer = child.wait_with_output().and_then(|output| parse_answer(n, &output));
            let _ = tx.send(answer);
        });
    }
    drop(tx);
    let mut squares = rx.iter().collect::<io::Result<Vec<u64>>>()?;
    squares.sort_unstable();
    Ok(squares)
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
