// Correct alternative of child_process: every child is spawned with piped
// stdout and stderr and kept in a `HashMap` by its position; then each is
// waited for with `wait()` in the order of the numbers, and its output read
// after it ended (a square is a few bytes, far less than a pipe holds). A
// failed child does not stop the others from being waited for.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use concur_kit::workload::slow_square;

/// The largest number the `square` mode accepts.
pub const LIMIT: u64 = 1_000_000;

fn start(program: &Path, n: u64) -> io::Result<Child> {
    Command::new(program)
        .args(["square", &n.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// Waits for `child` and turns what it printed into its square.
fn finish(n: u64, mut child: Child) -> io::Result<u64> {
    let status = child.wait()?;
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out)?;
    }
    if let Some(mut stderr) = child.stderr.take() {
        stderr.read_to_string(&mut err)?;
    }
    if !status.success() {
        return Err(io::Error::other(format!("square {n} failed with {status}: {}", err.trim())));
    }
    out.trim()
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("square {n} printed {out:?}: {e}")))
}

/// Runs `program square <n>` and returns the square it prints.
pub fn square_in_child(program: &Path, n: u64) -> io::Result<u64> {
    finish(n, start(program, n)?)
}

/// Runs one `program square <n>` per number, all at the same time, and returns
/// the squares in the order of `numbers`.
pub fn squares_in_children(program: &Path, numbers: &[u64]) -> io::Result<Vec<u64>> {
    let mut children: HashMap<usize, Child> = HashMap::new();
    let mut spawn_error = None;
    for (i, &n) in numbers.iter().enumerate() {
        match start(program, n) {
            Ok(child) => {
                children.insert(i, child);
            }
            Err(e) => {
                spawn_error = Some(e);
                break;
            }
        }
    }
    let mut squares = Vec::with_capacity(numbers.len());
    let mut first_error = None;
    for (i, &n) in numbers.iter().enumerate() {
        let Some(mut child) = children.remove(&i) else { break };
        if spawn_error.is_some() {
            let _ = child.kill();
        }
        match finish(n, child) {
            Ok(square) => squares.push(square),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = spawn_error.or(first_error) {
        return Err(e);
    }
    Ok(squares)
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
