//! Hidden checks for `00_intro/hello_concur`: plain arithmetic on durations, so a learner
//! meets concur's ✓ and ✗ (one check passes from the start) before any thread appears.
//!
//! The job lengths are drawn per run (seeded, replayable with `concur verify hello_concur
//! --seed N`), and the longest job is put first, in the middle and last, so an answer
//! hard-coded for the example in `main`, or one that picks a job by its place, fails.
//! Which variant (`tests/variants/00_intro/`) bites which check:
//! - `all_at_once_takes_as_long_as_the_longest_job`: `hello_concur_first_job` (the first job,
//!   not the longest), `hello_concur_hard_coded` (the answer of the example in `main`);
//! - `no_jobs_take_no_time`: `hello_concur_unwrap_max` (`max().unwrap()` panics on no jobs);
//! - `one_after_another_adds_the_jobs_up`: `hello_concur_hard_coded` (900 ms whatever the jobs).

use std::time::Duration;

use concur_kit::call::call;
use concur_kit::seed::Inputs;

use crate::exercise::*;

/// Pure arithmetic returns at once; a call still running by then is stuck in a loop.
const DEADLINE: Duration = Duration::from_secs(2);

/// `count` jobs of different lengths between 50 ms and 1 s, the longest at `longest_at`.
fn jobs(inputs: &mut Inputs, count: usize, longest_at: usize) -> Vec<Duration> {
    let mut ms = inputs.distinct(count, 50, 1_000);
    let longest = (0..count).max_by_key(|&i| ms[i]).expect("at least one job");
    ms.swap(longest, longest_at);
    ms.into_iter().map(Duration::from_millis).collect()
}

fn shown(jobs: &[Duration]) -> String {
    let ms: Vec<String> = jobs.iter().map(|d| format!("{} ms", d.as_millis())).collect();
    format!("[{}]", ms.join(", "))
}

fn all_at_once_of(jobs: &[Duration]) -> Duration {
    let owned = jobs.to_vec();
    call(
        &format!("all_at_once({})", shown(jobs)),
        DEADLINE,
        move || all_at_once(&owned),
    )
    .value
}

#[test]
fn one_after_another_adds_the_jobs_up() {
    let mut inputs = Inputs::new();
    let count = inputs.between(3, 6) as usize;
    let longest_at = inputs.between(0, count as u64 - 1) as usize;
    let jobs = jobs(&mut inputs, count, longest_at);
    let owned = jobs.clone();
    let got = call("one_after_another", DEADLINE, move || one_after_another(&owned)).value;
    let total: Duration = jobs.iter().sum();
    assert!(
        got == total,
        "one_after_another({}) returned {got:?}; one after another, the jobs take {} ms in all",
        shown(&jobs),
        total.as_millis()
    );
}

#[test]
fn all_at_once_takes_as_long_as_the_longest_job() {
    let mut inputs = Inputs::new();
    let count = inputs.between(3, 6) as usize;
    // The longest job first, somewhere in the middle, last, and alone.
    let middle = inputs.between(1, count as u64 - 2) as usize;
    for longest_at in [0, middle, count - 1] {
        let jobs = jobs(&mut inputs, count, longest_at);
        let longest = jobs[longest_at];
        let got = all_at_once_of(&jobs);
        assert!(
            got == longest,
            "all_at_once({}) returned {got:?}, expected {longest:?}: when the jobs all start at \
             the same moment, everything is done as soon as the longest job is done",
            shown(&jobs)
        );
    }
    let single = jobs(&mut inputs, 1, 0);
    let got = all_at_once_of(&single);
    assert!(
        got == single[0],
        "all_at_once({}) returned {got:?}: a single job takes just as long as itself",
        shown(&single)
    );
}

#[test]
fn no_jobs_take_no_time() {
    let got = all_at_once_of(&[]);
    assert!(
        got == Duration::ZERO,
        "all_at_once with no jobs returned {got:?}; with nothing to do, nothing takes any time"
    );
}
