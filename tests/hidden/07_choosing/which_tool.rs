//! Hidden checks for `07_choosing/which_tool`.
//!
//! One check per workload. Each accepts the tool a reviewer would approve, and for every other
//! tool the message says in a few sentences what it would cost, pointing at the exercise that
//! showed it. What is accepted, and why only that:
//!
//! - many slow network calls (500 in flight): `Async`. A pool of threads does work for a few
//!   dozen waits (03_parallel pool_or_rayon), but at 500 at once the workload is the textbook
//!   case for tasks, so `Threads` is refused with that said; `AsyncWithThreadPool` is refused
//!   because nothing here computes or blocks.
//! - heavy CPU work, trusted code: `Threads` (rayon). Processes could use the cores too, but buy
//!   isolation nobody needs at the price of start-up and pipes.
//! - untrusted code that may crash, leak or hang: `Processes`, the only tool whose unit can die
//!   alone, give its memory back and be killed from outside.
//! - fetch, then parse with heavy CPU work: `AsyncWithThreadPool` (spawn_blocking or rayon for
//!   the parse). Threads alone are refused for the same reason as the network calls.
//! - a few quick jobs: `Sequential`.
//! - a blocking library call inside an async server: `AsyncWithThreadPool` (spawn_blocking).
//!
//! Every answer also needs a reason of its own: one line, not the placeholder, at least three
//! words, not the reason of another workload, and about this workload — it must name at least
//! one thing the workload does or costs (waiting, the network, cores, crashes, …; for the
//! fetch-then-parse job both halves), from a generous list of word stems per workload, so
//! "it is the best tool here" pasted under every answer does not pass while any real sentence
//! does. Nothing here is timed or run, so no verdict depends on the machine; the checks are
//! plain comparisons. Which wrong variant (`tests/variants/07_choosing/which_tool_*.rs`) bites
//! which check: `_threads_for_network` (a wrong tool) `many_slow_network_calls`;
//! `_no_reason` (an empty reason, a placeholder) `heavy_cpu_work`, `a_few_quick_jobs`;
//! `_generic_reasons` (a filler sentence that fits any answer under each) all six; `_copied_reason`
//! (one workload's reason pasted under another) `fetch_then_parse_with_heavy_cpu_work` and
//! `blocking_calls_inside_an_async_server`; `_half_reason` (the fetch-then-parse reason speaks
//! only of the fetching) `fetch_then_parse_with_heavy_cpu_work`.

use crate::exercise::*;

/// The message for a workload still at `Tool::Undecided`.
const NOT_ANSWERED: &str = "not answered yet: `tool` is still `Tool::Undecided`. Choose one of \
    Sequential, Threads, Processes, Async or AsyncWithThreadPool.";
const PLACEHOLDER: &str = "TODO";
const MIN_WORDS: usize = 3;

/// Stems a reason for each workload can use, matched at the start of a word; generous, so
/// that any sentence about the work passes and only one that would fit every answer (or
/// names nothing but the tool) does not.
const NETWORK: About = About {
    groups: &[&[
        "wait", "idle", "network", "i/o", "io bound", "latency", "request", "respon", "answer",
        "in flight", "slow", "block", "sleep", "api", "server", "fetch", "download", "page",
        "second", "concurren", "at once", "simultaneous", "parallel", "memory", "stack", "cheap",
        "light", "kb", "byte", "overhead", "cost", "thousand", "2 000", "2000", "500", "hundred",
        "many", "scale", "os thread", "kernel", "expensive", "heavy",
    ]],
    hint: "what the work does while a request is in progress, or what each of the 500 waiters \
           costs",
};
const CPU: About = About {
    groups: &[&[
        "cpu", "core", "comput", "calculat", "parallel", "independent", "render", "frame", "busy",
        "processor", "rayon", "par_iter", "work steal", "split", "divide", "memory", "heavy",
        "bound", "eight", "8", "crunch", "math", "no wait", "never wait", "doesn t wait",
        "does not wait",
    ]],
    hint: "what the work keeps busy while a frame is in progress, and how the 8 cores get used",
};
const UNTRUSTED: About = About {
    groups: &[&[
        "crash", "segfault", "seg fault", "segmentation", "isolat", "kill", "hang", "leak",
        "memory", "protect", "separate", "own process", "address space", "surviv", "harm",
        "fault", "die", "dead", "abort", "trust", "untrust", "timeout", "time out", "restart",
        "replac", "loop", "unsafe", "contain", "sandbox", "bring down", "take down", "takes down",
        "bad", "fail", "broken", "stuck", "wall",
    ]],
    hint: "what happens when one parser crashes, leaks or hangs",
};
const FETCH_THEN_PARSE: About = About {
    groups: &[
        &[
            "wait", "fetch", "network", "i/o", "io bound", "request", "download", "page",
            "latency", "in flight", "slow", "api", "second", "idle",
        ],
        &[
            "cpu", "pars", "comput", "block", "spawn_blocking", "rayon", "100 ms", "100ms",
            "heavy", "core", "busy", "runtime", "executor",
        ],
    ],
    hint: "what each half does: the fetching (waiting for pages) and the parsing (computing)",
};
const QUICK: About = About {
    groups: &[&[
        "quick", "fast", "small", "tiny", "short", "few", "overhead", "cost", "millisecond", "ms",
        "simple", "worth", "trivial", "startup", "start up", "starting", "cheap", "little",
        "negligible", "three", "3", "kb", "under", "less", "complex", "spawn", "gain", "benefit",
        "instant", "nothing to", "no point", "pointless", "overkill",
    ]],
    hint: "what so little work gains from concurrency, next to what starting it costs",
};
const BLOCKING_IN_SERVER: About = About {
    groups: &[&[
        "block", "stall", "runtime", "spawn_blocking", "hold", "occup", "starv", "freez",
        "std::fs", "file", "sync", "200 ms", "200ms", "executor", "worker thread", "other task",
        "other request", "connection", "off the", "latency", "slow", "wait",
    ]],
    hint: "what a blocking call does to the runtime's threads, and where it goes instead",
};

/// Every workload's answer, for telling a reason pasted under two of them.
fn all_answers() -> [(&'static str, Answer); 6] {
    [
        ("many slow network calls", MANY_SLOW_NETWORK_CALLS),
        ("heavy CPU work", HEAVY_CPU_WORK),
        ("untrusted code", UNTRUSTED_CODE_THAT_MAY_CRASH_OR_HANG),
        ("fetch, then parse", FETCH_THEN_PARSE_WITH_HEAVY_CPU_WORK),
        ("a few quick jobs", A_FEW_QUICK_JOBS),
        ("blocking calls in an async server", BLOCKING_CALLS_INSIDE_AN_ASYNC_SERVER),
    ]
}

/// What a reason must be about: each group is a list of word stems, and the reason must
/// contain one stem of every group (case does not matter).
struct About {
    groups: &'static [&'static [&'static str]],
    /// What to write about, for the message.
    hint: &'static str,
}

/// Lowercase words, keeping `/`, `_` and `:` inside them (`i/o`, `spawn_blocking`,
/// `std::fs`), one space between them: for comparing reasons and finding stems.
fn words_of(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || "/_:".contains(c)))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What is wrong with `reason`, given as the answer for `key`, if anything.
fn reason_problem(key: &str, reason: &str, about: &About) -> Option<String> {
    let trimmed = reason.trim();
    if trimmed.is_empty() {
        return Some(
            "the reason is empty: write one sentence saying why this tool fits, e.g. what the \
             work spends its time doing."
                .to_string(),
        );
    }
    if trimmed.eq_ignore_ascii_case(PLACEHOLDER) {
        return Some(format!(
            "the reason is still the placeholder \"{PLACEHOLDER}\": replace it with one sentence \
             saying why this tool fits."
        ));
    }
    let lines = trimmed.lines().count();
    if lines > 1 {
        return Some(format!(
            "the reason runs over {lines} lines: keep it to one sentence on one line."
        ));
    }
    let words = trimmed
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .count();
    if words < MIN_WORDS {
        return Some(format!(
            "the reason \"{trimmed}\" has {words} word(s): write a real sentence of at least \
             {MIN_WORDS} words saying why this tool fits."
        ));
    }
    let mine = words_of(trimmed);
    let twins: Vec<&str> = all_answers()
        .into_iter()
        .filter(|(other, answer)| *other != key && words_of(answer.reason) == mine)
        .map(|(other, _)| other)
        .collect();
    if !twins.is_empty() {
        return Some(format!(
            "the reason \"{trimmed}\" is also the reason given for {}: each workload is \
             different, so say what makes the tool fit this one.",
            twins.join(", ")
        ));
    }
    let text = format!(" {mine}");
    let has = |stem: &&str| text.contains(&format!(" {}", words_of(stem)));
    let matched = about.groups.iter().filter(|stems| stems.iter().any(has)).count();
    if matched == 0 {
        return Some(format!(
            "the reason \"{trimmed}\" names nothing this workload does or costs, so it would \
             fit any answer. Say {}.",
            about.hint
        ));
    }
    if matched < about.groups.len() {
        return Some(format!(
            "the reason \"{trimmed}\" speaks of only one half of this workload. Say {}.",
            about.hint
        ));
    }
    None
}

/// Panics with the feedback for `answer` to `workload` (`key` in [`all_answers`]);
/// `why_not` is `None` when the tool is accepted, or else why it does not fit.
fn judge(workload: &str, key: &str, answer: Answer, why_not: Option<&str>, about: &About) {
    let tool = answer.tool;
    let reason = reason_problem(key, answer.reason, about);
    match (why_not, reason) {
        (None, None) => {}
        (None, Some(reason)) => panic!("{workload}: {tool:?} is a good choice, but {reason}"),
        (Some(NOT_ANSWERED), reason) => panic!(
            "{workload}: {NOT_ANSWERED}{}",
            reason.map_or(String::new(), |_| " Then give it a one-line reason.".to_string())
        ),
        (Some(why), None) => panic!("{workload}: you chose {tool:?}. {why}"),
        (Some(why), Some(reason)) => {
            panic!("{workload}: you chose {tool:?}. {why}\nAlso, {reason}")
        }
    }
}

#[test]
fn many_slow_network_calls() {
    let answer = MANY_SLOW_NETWORK_CALLS;
    let why_not = match answer.tool {
        Tool::Async => None,
        Tool::Sequential => Some(
            "One after another, 2,000 answers of about a second each take over half an hour, \
             and the CPU is idle all that time. In 06_web_client fetch_all, 10 requests of 200 ms \
             took 2 s awaited in a loop and about 200 ms all in flight: the work is waiting, so \
             let many requests wait at once.",
        ),
        Tool::Threads => Some(
            "A pool of threads does work for a few dozen downloads (03_parallel pool_or_rayon \
             used 20), but here 500 must wait at once: 500 kernel threads, each with 2 MiB of \
             stack reserved (about 1 GB of address space), only to wait. 500 async tasks cost a \
             few KB each and all wait on the runtime's few threads, as every request did in \
             06_web_client fetch_all.",
        ),
        Tool::Processes => Some(
            "A process per request is the heaviest way to wait: each one takes about a \
             millisecond to start and a whole address space, and every page must come back \
             through a pipe as bytes (04_processes). Nothing here needs isolation; the work is \
             waiting, which async tasks do for almost nothing.",
        ),
        Tool::AsyncWithThreadPool => Some(
            "Async is right, but there is no CPU-heavy or blocking step here to move off the \
             runtime: every step is a wait, so plain tasks do it all (06_web_client fetch_all). \
             A pool of threads next to them would sit idle.",
        ),
        _ => Some(NOT_ANSWERED),
    };
    judge("2,000 pages from a slow API", "many slow network calls", answer, why_not, &NETWORK);
}

#[test]
fn heavy_cpu_work() {
    let answer = HEAVY_CPU_WORK;
    let why_not = match answer.tool {
        Tool::Threads => None,
        Tool::Sequential => Some(
            "One core renders while seven sit idle: 600 frames of 2 s is 20 minutes on one core \
             and about 2.5 on eight. The frames are independent, so spread them over every core \
             (03_parallel par_iter).",
        ),
        Tool::Processes => Some(
            "Processes can keep 8 cores busy too, but each costs a start-up and an address space \
             of its own, and every frame must travel back through a pipe as bytes (04_processes). \
             The rendering code is your own, so there is nothing to isolate; threads share \
             memory for free, and rayon sizes its pool to the cores (03_parallel).",
        ),
        Tool::Async => Some(
            "Async adds no cores: a task that computes for 2 s never reaches an `.await`, so it \
             holds its runtime thread and every other task on it waits (05_async await_points). \
             Async makes waiting cheap, and this workload never waits.",
        ),
        Tool::AsyncWithThreadPool => Some(
            "Nothing here waits, so the async half is a runtime that buys nothing: all the work \
             would be in the pool. Use the pool directly: rayon's `par_iter`, one thread per \
             core (03_parallel).",
        ),
        _ => Some(NOT_ANSWERED),
    };
    judge("600 frames of pure computation", "heavy CPU work", answer, why_not, &CPU);
}

#[test]
fn untrusted_code_that_may_crash_or_hang() {
    let answer = UNTRUSTED_CODE_THAT_MAY_CRASH_OR_HANG;
    let why_not = match answer.tool {
        Tool::Processes => None,
        Tool::Sequential => Some(
            "Run inside your own program, the first parser that segfaults kills the grader and \
             every result so far, and the first one that loops for ever stops it for good. Bad \
             code needs walls around it (04_processes worker_crash).",
        ),
        Tool::Threads => Some(
            "A thread shares your process: `join` catches a panic (01_threads worker_panic), but \
             a segfault or an abort kills the whole process, leaked memory stays leaked, and a \
             thread stuck in a loop cannot be stopped from outside. A worker process crashes \
             alone and can be killed and replaced (04_processes worker_crash, stuck_worker).",
        ),
        Tool::Async => Some(
            "A task is no wall at all: it runs inside your process, so a segfault takes \
             everything with it, and a parser stuck in a loop never reaches an `.await`, which \
             freezes every other task on its thread too. A worker process crashes alone and can \
             be killed and replaced (04_processes worker_crash, stuck_worker).",
        ),
        Tool::AsyncWithThreadPool => Some(
            "spawn_blocking moves the parser to a thread, but still inside your process: a \
             segfault there kills the grader, leaked memory stays, and a stuck thread cannot be \
             killed (tokio can only stop waiting for it). A worker process crashes alone and can \
             be killed and replaced (04_processes worker_crash, stuck_worker).",
        ),
        _ => Some(NOT_ANSWERED),
    };
    judge(
        "untrusted parsers that may crash, leak or hang",
        "untrusted code",
        answer,
        why_not,
        &UNTRUSTED,
    );
}

#[test]
fn fetch_then_parse_with_heavy_cpu_work() {
    let answer = FETCH_THEN_PARSE_WITH_HEAVY_CPU_WORK;
    let why_not = match answer.tool {
        Tool::AsyncWithThreadPool => None,
        Tool::Sequential => Some(
            "1,000 pages at about a second each is over 16 minutes of waiting, plus 100 s of \
             parsing on one core. Both halves can overlap, each with the tool that fits it.",
        ),
        Tool::Threads => Some(
            "Threads fit the parsing, but the fetching is 200 requests waiting at once, the \
             case of many slow network calls: a kernel thread and 2 MiB of stack each, only to \
             wait. Tasks wait for almost nothing (06_web_client fetch_all); keep threads for the \
             CPU work.",
        ),
        Tool::Processes => Some(
            "Nothing here needs isolation, and processes make both halves costlier: a start-up \
             per worker, and every page copied through a pipe as bytes before it can be parsed \
             (04_processes). The fetching is waiting, the parsing is trusted CPU work.",
        ),
        Tool::Async => Some(
            "Async fits the fetching, but a task that parses for 100 ms never reaches an \
             `.await`: it holds its runtime thread, and the other tasks on it (answers arriving, \
             timers) wait behind it (05_async await_points). The CPU-heavy step has to leave the \
             runtime.",
        ),
        _ => Some(NOT_ANSWERED),
    };
    judge(
        "1,000 pages fetched, then parsed with 100 ms of CPU each",
        "fetch, then parse",
        answer,
        why_not,
        &FETCH_THEN_PARSE,
    );
}

#[test]
fn a_few_quick_jobs() {
    let answer = A_FEW_QUICK_JOBS;
    let why_not = match answer.tool {
        Tool::Sequential => None,
        Tool::Threads => Some(
            "Starting and joining a thread costs tens of microseconds, about as much as the \
             whole job, and brings joins and error handling for a gain nobody could measure. \
             Concurrency pays when work is long or waits; three tiny reads are neither.",
        ),
        Tool::Processes => Some(
            "Starting a process takes around a millisecond, longer than the whole job, and the \
             results would have to come back through pipes as bytes (04_processes). Three tiny \
             trusted reads need no isolation and no overlap.",
        ),
        Tool::Async => Some(
            "A runtime, async fns and `.await` for three reads that finish in under a \
             millisecond add code and a dependency, and there is no waiting worth overlapping. \
             Concurrency pays when work is long or waits; three tiny reads are neither.",
        ),
        Tool::AsyncWithThreadPool => Some(
            "A runtime plus a pool of threads for three reads that finish in under a \
             millisecond: all of the machinery, none of the gain. Concurrency pays when work is \
             long or waits; three tiny reads are neither.",
        ),
        _ => Some(NOT_ANSWERED),
    };
    judge("three small configuration files", "a few quick jobs", answer, why_not, &QUICK);
}

#[test]
fn blocking_calls_inside_an_async_server() {
    let answer = BLOCKING_CALLS_INSIDE_AN_ASYNC_SERVER;
    let why_not = match answer.tool {
        Tool::AsyncWithThreadPool => None,
        Tool::Sequential => Some(
            "A server that handles one request at a time makes every one of its thousands of \
             connections wait behind the slowest request, 200 ms and more each.",
        ),
        Tool::Threads => Some(
            "Dropping the async runtime for threads alone means a thread per connection again: \
             thousands of kernel threads and their stacks, only to wait for clients. The async \
             server is the right base; only the blocking call needs a thread of its own.",
        ),
        Tool::Processes => Some(
            "A process per call costs a start-up and a pipe every time, and the library is \
             trusted, so there is nothing to isolate (04_processes). What the call needs is only \
             to stay off the runtime's threads.",
        ),
        Tool::Async => Some(
            "Called straight from a task, the library blocks a runtime thread for up to 200 ms, \
             and every other connection on that thread stalls meanwhile (05_async await_points: \
             a blocking sleep in a task made the requests run one after another). Your own file \
             reads could use `tokio::fs`, which runs `std::fs` on tokio's blocking pool; this \
             library's calls need the same.",
        ),
        _ => Some(NOT_ANSWERED),
    };
    judge(
        "a blocking library call in a tokio server",
        "blocking calls in an async server",
        answer,
        why_not,
        &BLOCKING_IN_SERVER,
    );
}
