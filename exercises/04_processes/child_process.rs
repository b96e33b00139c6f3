// Child processes
//
// `std::process::Command` starts another program as a child process. You give
// it the program's path and its arguments; the child runs on its own, with its
// own memory, and tells you two things when it ends: what it wrote (its
// standard output and standard error) and its exit status (success, or a
// failure code).
//
// This program is its own child. Run as `child_process square 7`, it works out
// 7 × 7 (slowly, like real work), prints `49` and exits with success; given a
// number above `LIMIT`, it prints an error on stderr and exits with code 3.
// That part is written for you, in `square_mode`.
//
// Your task:
//   1. `square_in_child`: run `program square <n>`, wait for it, and return the
//      number it printed. If the child fails, return an error that says so and
//      includes what the child wrote on stderr.
//   2. `squares_in_children`: one child per number, all of them running at
//      once, and the squares returned in the order of `numbers`. Starting a
//      child and waiting for it are two separate steps (`spawn`, then `wait`
//      or `wait_with_output`): start them all before you wait for any.
//   3. Wait for every child you start. An ended child that nobody waited for
//      stays in the process table as a "zombie".
//
// `concur run child_process` runs the demo in `main`.

use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use concur_kit::workload::slow_square;

/// The largest number the `square` mode accepts.
pub const LIMIT: u64 = 1_000_000;

/// Runs `program square <n>` and returns the square it prints.
pub fn square_in_child(program: &Path, n: u64) -> io::Result<u64> {
    // TODO: run the child with its two arguments, check its exit status,
    // and parse what it printed.
    todo!("run {} square {n}", program.display())
}

/// Runs one `program square <n>` per number, all at the same time, and returns
/// the squares in the order of `numbers`.
pub fn squares_in_children(program: &Path, numbers: &[u64]) -> io::Result<Vec<u64>> {
    // TODO: start every child first, then collect their answers.
    todo!("square {numbers:?} with {}", program.display())
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
