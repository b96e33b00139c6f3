// expect-fail: no_jobs_take_no_time
//
// Wrong variant of hello_concur: the longest job is the answer, but with no
// jobs at all `max()` gives `None`, and `unwrap()` panics.

use std::time::Duration;

pub fn one_after_another(jobs: &[Duration]) -> Duration {
    jobs.iter().sum()
}

pub fn all_at_once(jobs: &[Duration]) -> Duration {
    jobs.iter().copied().max().unwrap()
}

fn main() {
    let jobs = [Duration::from_millis(400), Duration::from_millis(300)];
    println!("{:?} {:?}", one_after_another(&jobs), all_at_once(&jobs));
}
