// Hello, concur
//
// Every exercise is a file like this one. Read the comments at the top, work
// where it says `// TODO`, save, and ask concur to grade your file:
//
//     concur verify hello_concur
//
// concur compiles the file together with hidden checks and runs each check on
// its own. Every check is listed with ✓ or ✗; under a ✗ you find what the check
// saw, such as "got 900 ms, expected 400 ms". Read that message first: it
// usually says what to fix. Stuck? `concur hint hello_concur` gives a nudge, and
// asking again gives a bigger one. `concur run hello_concur` runs `main` below.
//
// A first taste of what this course is about. Three jobs take 400 ms, 300 ms
// and 200 ms. Done one after another, they take 400 + 300 + 200 = 900 ms. Done
// all at once, each on its own thread, they are all finished after 400 ms: the
// time of the longest one. That difference is why concurrent programs exist.
//
// Your task: `one_after_another` is already right, and its check passes.
// `all_at_once` was copied from it and is wrong; fix it so it returns how long
// the jobs take when they all run at the same time. With no jobs, that is no
// time at all.

use std::time::Duration;

/// How long `jobs` take when each one starts only after the previous one ended.
pub fn one_after_another(jobs: &[Duration]) -> Duration {
    jobs.iter().sum()
}

/// How long `jobs` take when they all start at the same moment.
pub fn all_at_once(jobs: &[Duration]) -> Duration {
    // TODO: this adds the jobs up, like `one_after_another`. When the jobs
    // run at the same time, which one decides when everything is done?
    jobs.iter().sum()
}

fn main() {
    let jobs = [
        Duration::from_millis(400),
        Duration::from_millis(300),
        Duration::from_millis(200),
    ];
    println!("one after another: {:?}", one_after_another(&jobs));
    println!("all at once:       {:?}", all_at_once(&jobs));
}
