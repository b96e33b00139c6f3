//! The command line: one enum of verbs, parsed by clap.
//!
//! In: `std::env::args`. Out: a [`Cli`] the driver dispatches on. `--course` is global, so it
//! is accepted before or after the verb.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::gradescope::Visibility;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "concur",
    version,
    about = "Learn concurrent programming in Rust: exercises graded by hidden checks, timing included",
    after_help = "Edit the file an exercise names, then `concur verify NAME` to grade it.\n\
                  Exit codes: 0 all graded exercises pass, 1 some fail, 2 usage or course error, \
                  3 concur could not work (toolchain, files), 130 interrupted."
)]
pub struct Cli {
    /// The course folder (default: the nearest folder with info.toml, walking up from here)
    #[arg(long, global = true, value_name = "DIR", env = "CONCUR_COURSE")]
    pub course: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade the current exercise on every save (start here)
    Watch(WatchArgs),
    /// Grade exercises against their hidden checks (default: all, in course order)
    Verify(VerifyArgs),
    /// Build and run an exercise's program, with the mock API started (CONCUR_API_URL)
    Run(RunArgs),
    /// Show the next hint for an exercise
    Hint(HintArgs),
    /// List the exercises and where you stand
    List,
    /// Restore an exercise's starting file (your version is backed up first)
    Reset(ResetArgs),
    /// Run the mock API on its own (for curl, or your program via CONCUR_API_URL)
    Serve(ServeArgs),
    /// Create a learner workspace from the course built into concur
    Init(InitArgs),
    /// Grade a class: every subfolder of SUBMISSIONS is one learner's workspace
    Grade(GradeArgs),
    /// Show the toolchain, where builds go, and which sandbox layers this machine gives
    Doctor,
    /// Tools for course authors
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Poll for changes (comparing contents) instead of the system's file events
    #[arg(long, conflicts_with = "manual")]
    pub poll: bool,
    /// Do not watch files at all: press r to re-grade
    #[arg(long)]
    pub manual: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Exercises to grade (default: all)
    pub names: Vec<String>,
    /// Grade the reference solutions instead of the exercises
    #[arg(long, conflicts_with = "exercises")]
    pub solutions: bool,
    /// Grade the learner files in DIR (laid out like exercises/) instead of the course's own;
    /// a file still identical to its starting version there is not started
    #[arg(long, value_name = "DIR")]
    pub exercises: Option<PathBuf>,
    /// Hidden checks from DIR (laid out like tests/hidden/) instead of the course's own
    #[arg(long, value_name = "DIR")]
    pub checks: Option<PathBuf>,
    /// Also show what the program printed during each check
    #[arg(long, short)]
    pub verbose: bool,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout (progress still goes to the terminal)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Who sees each test in the Gradescope report
    #[arg(long, value_enum, default_value_t = Visibility::AfterPublished)]
    pub visibility: Visibility,
    /// Give the checks the inputs of an earlier run again (the seed a failure showed)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The exercise to run
    pub name: String,
    /// Run the reference solution instead
    #[arg(long)]
    pub solution: bool,
    /// Arguments passed to the program
    #[arg(last = true)]
    pub args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (default: one the OS picks)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Latency added to every request, in milliseconds
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Answer every Nth request with 500
    #[arg(long, value_name = "N")]
    pub fail_every: Option<u32>,
    /// Answer 429 (Retry-After: 1) when more than K requests are in flight
    #[arg(long, value_name = "K")]
    pub max_in_flight: Option<usize>,
}

#[derive(Debug, Args)]
pub struct HintArgs {
    /// The exercise
    pub name: String,
    /// Show every hint at once
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the workspace (a new or empty folder)
    #[arg(default_value = "concur-exercises")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// A folder with one subfolder per learner, each holding that learner's `exercises/`
    pub submissions: PathBuf,
    /// Where to write gradebook.csv and the per-learner reports
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// Format of the per-learner reports
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Hidden checks from DIR (laid out like tests/hidden/) instead of the course's own
    #[arg(long, value_name = "DIR")]
    pub checks: Option<PathBuf>,
    /// Grade every submission again, even those unchanged since the last run
    #[arg(long)]
    pub force: bool,
    /// Who sees each test in Gradescope reports
    #[arg(long, value_enum, default_value_t = Visibility::AfterPublished)]
    pub visibility: Visibility,
    /// Grade even though learner code could read and write other files here (no Landlock);
    /// the gradebook says so
    #[arg(long)]
    pub unisolated: bool,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The exercise to restore
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Check the course: files present, starting files fail, solutions pass, no stray files
    Check,
    /// Add an exercise: starting file, solution and checks from templates, and its info.toml entry
    New(DevNewArgs),
}

#[derive(Debug, Args)]
pub struct DevNewArgs {
    /// The exercise's name: lowercase letters, digits and `_`
    pub name: String,
    /// The topic folder it goes in, such as 02_queues (made if it does not exist)
    #[arg(long)]
    pub dir: String,
}
