// expect-fail: fetch_then_parse_with_heavy_cpu_work
// expect-fail: blocking_calls_inside_an_async_server
//
// Wrong variant of which_tool: every tool is right, but the reason for the
// fetch-then-parse job is pasted under the blocking library call in the async
// server too. Both answers then have a reason written for one of them: each
// check names the other workload that has the same sentence.

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
pub const MANY_SLOW_NETWORK_CALLS: Answer = Answer {
    tool: Tool::Async,
    reason: "Each request only waits on the network, and 500 waiting tasks cost a few KB each on a few threads, where 500 threads would each be a kernel thread and a stack.",
};

// Render the 600 frames of an animation. Each frame is about 2 s of pure
// computation, frames do not depend on one another, and the machine has 8
// cores. The rendering code is your own.
pub const HEAVY_CPU_WORK: Answer = Answer {
    tool: Tool::Threads,
    reason: "The frames are independent CPU work, so a rayon pool with one thread per core keeps all 8 cores busy, and threads share memory at no cost.",
};

// Run parsers that students submitted on 1,000 uploaded files. Some parsers
// crash (a few through `unsafe` code, with a segfault), some leak memory, some
// loop for ever. One bad parser must not take down the grader or lose the
// results of the others.
pub const UNTRUSTED_CODE_THAT_MAY_CRASH_OR_HANG: Answer = Answer {
    tool: Tool::Processes,
    reason: "A parser in its own process can segfault or leak without harming the grader, and one that hangs can be killed and replaced.",
};

// Fetch 1,000 pages from the same slow API (about a second each, 200 in flight
// allowed), then parse every page, which costs about 100 ms of CPU per page.
pub const FETCH_THEN_PARSE_WITH_HEAVY_CPU_WORK: Answer = Answer {
    tool: Tool::AsyncWithThreadPool,
    reason: "Async tasks do the waiting for the pages, and each parse goes to rayon so that 100 ms of CPU never blocks the runtime.",
};

// At start-up, read three small configuration files (a few KB each, well under
// a millisecond to read and parse) and merge them.
pub const A_FEW_QUICK_JOBS: Answer = Answer {
    tool: Tool::Sequential,
    reason: "Three reads under a millisecond in all take less time than starting a thread, so plain code in order is simplest and fast enough.",
};

// Your tokio web server handles thousands of connections. Some requests need a
// report from a library that has only a blocking API: each call reads files
// with `std::fs` and can take up to 200 ms.
pub const BLOCKING_CALLS_INSIDE_AN_ASYNC_SERVER: Answer = Answer {
    tool: Tool::AsyncWithThreadPool,
    reason: "Async tasks do the waiting for the pages, and each parse goes to rayon so that 100 ms of CPU never blocks the runtime.",
};

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
