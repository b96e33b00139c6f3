// Hello, concur: the cost of jobs one after another versus all at once.
//
// Reference solution. Jobs that run at the same time are all done when the
// longest of them is done, so their cost is the maximum, not the sum; with no
// jobs at all it is zero.

use std::time::Duration;

/// How long `jobs` take when each one starts only after the previous one ended.
pub fn one_after_another(jobs: &[Duration]) -> Duration {
    jobs.iter().sum()
}

/// How long `jobs` take when they all start at the same moment.
pub fn all_at_once(jobs: &[Duration]) -> Duration {
    jobs.iter().copied().max().unwrap_or(Duration::ZERO)
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
