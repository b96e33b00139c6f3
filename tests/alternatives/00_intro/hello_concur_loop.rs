// Correct alternative for hello_concur: plain `for` loops, the longest job kept
// in a variable.

use std::time::Duration;

/// How long `jobs` take when each one starts only after the previous one ended.
pub fn one_after_another(jobs: &[Duration]) -> Duration {
    let mut total = Duration::ZERO;
    for job in jobs {
        total += *job;
    }
    total
}

/// How long `jobs` take when they all start at the same moment.
pub fn all_at_once(jobs: &[Duration]) -> Duration {
    let mut longest = Duration::ZERO;
    for &job in jobs {
        if job > longest {
            longest = job;
        }
    }
    longest
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
