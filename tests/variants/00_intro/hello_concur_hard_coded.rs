// expect-fail: one_after_another_adds_the_jobs_up
// expect-fail: all_at_once_takes_as_long_as_the_longest_job
//
// Wrong variant of hello_concur: both functions answer for the example in
// `main` (400, 300 and 200 ms), whatever jobs they are given; no jobs still
// take no time.

use std::time::Duration;

pub fn one_after_another(jobs: &[Duration]) -> Duration {
    if jobs.is_empty() {
        Duration::ZERO
    } else {
        Duration::from_millis(900)
    }
}

pub fn all_at_once(jobs: &[Duration]) -> Duration {
    if jobs.is_empty() {
        Duration::ZERO
    } else {
        Duration::from_millis(400)
    }
}

fn main() {
    println!("{:?} {:?}", one_after_another(&[]), all_at_once(&[]));
}
