//! The `concur` binary: parse the command line, run the engine, map the result to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    concur::run(concur::cli::Cli::parse())
}
