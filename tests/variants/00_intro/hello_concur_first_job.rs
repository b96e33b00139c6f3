// expect-fail: all_at_once_takes_as_long_as_the_longest_job
//
// Wrong variant of hello_concur: all_at_once answers with the first job, which
// is right only when the first job happens to be the longest one (as in the
// example in `main`).

use std::time::Duration;

pub fn one_after_another(jobs: &[Duration]) -> Duration {
    jobs.iter().sum()
}

pub fn all_at_once(jobs: &[Duration]) -> Duration {
    jobs.first().copied().unwrap_or(Duration::ZERO)
}

fn main() {
    let jobs = [Duration::from_millis(400), Duration::from_millis(300)];
    println!("{:?} {:?}", one_after_another(&jobs), all_at_once(&jobs));
}
