// Correct alternative for hello_concur: a fold that keeps the longest job seen
// so far, starting from no time at all (which is also the answer for no jobs).

use std::time::Duration;

/// How long `jobs` take when each one starts only after the previous one ended.
pub fn one_after_another(jobs: &[Duration]) -> Duration {
    jobs.iter().fold(Duration::ZERO, |total, job| total + *job)
}

/// How long `jobs` take when they all start at the same moment.
pub fn all_at_once(jobs: &[Duration]) -> Duration {
    jobs.iter().fold(Duration::ZERO, |longest, &job| longest.max(job))
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
