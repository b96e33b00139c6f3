// Which tool?
//
// Threads, processes and async tasks all let work overlap, but each is built
// for a different kind of work. Ask three questions of a workload:
//   - While one piece of it is in progress, what is it doing: computing (a
//     core is busy) or waiting (for a network, a disk, a timer)?
//   - How many pieces are in progress at once: three, eight, five hundred?
//   - Can you trust the code to behave, or might it crash, leak or hang?
// Every tool has a cost too: a thread, a process and a task each cost
// something to start and to keep, and sometimes no concurrency at all is best.
//
// Your task: for each workload below, set `tool` to the tool you would reach
// for and `reason` to one sentence, on one line, saying why: what this work
// does or costs that makes the tool fit. A sentence that would fit any answer
// ("it is the best tool"), or the same one under two workloads, is not a
// reason. A check that does not accept a choice says what that tool would cost
// there, with evidence from the exercises you have done. Leave `Tool` and
// `Answer` as they are.
//
// `concur run which_tool` prints your answers.

/// The ways of running a workload this course has taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// Not answered yet.
    Undecided,
    /// Plain code, one step after another, no concurrency at all.
    Sequential,
    /// OS threads of your own, no async runtime: `std::thread`, a worker pool
    /// (02_queues), rayon (03_parallel).
    Threads,
    /// Child processes that talk through pipes (04_processes).
    Processes,
    /// Tasks on an async runtime (tokio), every step run on the runtime
    /// (05_async, 06_web_client).
    Async,
    /// Tasks on an async runtime, plus a pool of threads for the steps that
    /// must not run on the runtime (`tokio::task::spawn_blocking`, rayon).
    AsyncWithThreadPool,
}

/// Your choice for one workload, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub tool: Tool,
    /// One sentence, on one line.
    pub reason: &'static str,
}

// Fetch 2,000 pages from a slow API: each answer takes about a second to
// arrive, and the API allows 500 requests in flight at once.
// TODO
pub const MANY_SLOW_NETWORK_CALLS: Answer = Answer { tool: Tool::Undecided, reason: "TODO" };

// Render the 600 frames of an animation. Each frame is about 2 s of pure
// computation, frames do not depend on one another, and the machine has 8
// cores. The rendering code is your own.
// TODO
pub const HEAVY_CPU_WORK: Answer = Answer { tool: Tool::Undecided, reason: "TODO" };

// Run parsers that students submitted on 1,000 uploaded files. Some parsers
// crash (a few through `unsafe` code, with a segfault), some leak memory, some
// loop for ever. One bad parser must not take down the grader or lose the
// results of the others.
// TODO
pub const UNTRUSTED_CODE_THAT_MAY_CRASH_OR_HANG: Answer =
    Answer { tool: Tool::Undecided, reason: "TODO" };

// Fetch 1,000 pages from the same slow API (about a second each, 200 in flight
// allowed), then parse every page, which costs about 100 ms of CPU per page.
// TODO
pub const FETCH_THEN_PARSE_WITH_HEAVY_CPU_WORK: Answer =
    Answer { tool: Tool::Undecided, reason: "TODO" };

// At start-up, read three small configuration files (a few KB each, well under
// a millisecond to read and parse) and merge them.
// TODO
pub const A_FEW_QUICK_JOBS: Answer = Answer { tool: Tool::Undecided, reason: "TODO" };

// Your tokio web server handles thousands of connections. Some requests need a
// report from a library that has only a blocking API: each call reads files
// with `std::fs` and can take up to 200 ms.
// TODO
pub const BLOCKING_CALLS_INSIDE_AN_ASYNC_SERVER: Answer =
    Answer { tool: Tool::Undecided, reason: "TODO" };

fn main() {
    let answers = [
        ("many slow network calls", MANY_SLOW_NETWORK_CALLS),
        ("heavy CPU work", HEAVY_CPU_WORK),
        ("untrusted code that may crash or hang", UNTRUSTED_CODE_THAT_MAY_CRASH_OR_HANG),
        ("fetch, then parse with heavy CPU work", FETCH_THEN_PARSE_WITH_HEAVY_CPU_WORK),
        ("a few quick jobs", A_FEW_QUICK_JOBS),
        ("blocking calls inside an async server", BLOCKING_CALLS_INSIDE_AN_ASYNC_SERVER),
    ];
    for (workload, answer) in answers {
        println!("{workload:<40} {:<20} {}", format!("{:?}", answer.tool), answer.reason);
    }
}
