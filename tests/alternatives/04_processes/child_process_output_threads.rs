// Correct alternative of child_process: one plain `thread::spawn` thread per
// number (each owning a copy of the program's path) runs its child to the end
// with `Command::output()`, and sends `(position, answer)` on an mpsc channel;
// the answers are put back in the order of the numbers.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use concur_kit::workload::slow_square;

/// The largest number the `square` mode accepts.
pub const LIMIT: u64 = 1_000_000;

fn answer(n: u64, output: Output) -> io::Result<u64> {
    if output.status.success() {
        let text = String::from_utf8_lossy(&output.stdout);
        text.trim().parse::<u64>().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(io::Error::other(format!(
            "the child for {n} exited with {}: {}",
            output.status,
            stderr.trim()
        )))
    }
}

/// Runs `program square <n>` and returns the square it prints.
pub fn square_in_child(program: &Path, n: u64) -> io::Result<u64> {
    let output = Command::new(program).arg("square").arg(n.to_string()).output()?;
    answer(n, output)
}

/// Runs one `program square <n>` per number, all at the same time, and returns
/// the squares in the order of `numbers`.
pub fn squares_in_children(program: &Path, numbers: &[u64]) -> io::Result<Vec<u64>> {
    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::new();
    for (i, &n) in numbers.iter().enumerate() {
        let tx = tx.clone();
        let program: PathBuf = program.to_path_buf();
        handles.push(thread::spawn(move || {
            let _ = tx.send((i, square_in_child(&program, n)));
        }));
    }
    drop(tx);
    let mut slots: Vec<Option<io::Result<u64>>> = numbers.iter().map(|_| None).collect();
    for (i, result) in rx {
        slots[i] = Some(result);
    }
    for handle in handles {
        handle.join().expect("a child's thread panicked");
    }
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err(io::Error::other("a child's thread sent nothing"))))
        .collect()
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
