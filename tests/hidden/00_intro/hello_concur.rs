//! Hidden checks for `00_intro/hello_concur`: plain arithmetic on durations, so a learner
//! meets concur's ✓ and ✗ (one check passes from the start) before any thread appears.

use std::time::Duration;

use crate::exercise::*;

fn ms(values: &[u64]) -> Vec<Duration> {
    values.iter().map(|&v| Duration::from_millis(v)).collect()
}

#[test]
fn one_after_another_adds_the_jobs_up() {
    let got = one_after_another(&ms(&[400, 300, 200]));
    assert!(
        got == Duration::from_millis(900),
        "one_after_another(400 ms, 300 ms, 200 ms) returned {got:?}; one after another, the \
         jobs take 400 + 300 + 200 = 900 ms"
    );
}

#[test]
fn all_at_once_takes_as_long_as_the_longest_job() {
    for jobs in [vec![400, 300, 200], vec![100, 700, 300], vec![250]] {
        let longest = Duration::from_millis(*jobs.iter().max().expect("not empty"));
        let got = all_at_once(&ms(&jobs));
        assert!(
            got == longest,
            "all_at_once({jobs:?} ms) returned {got:?}, expected {longest:?}: when the jobs all \
             start at the same moment, everything is done as soon as the longest job is done"
        );
    }
}

#[test]
fn no_jobs_take_no_time() {
    let got = all_at_once(&[]);
    assert!(
        got == Duration::ZERO,
        "all_at_once with no jobs returned {got:?}; with nothing to do, nothing takes any time"
    );
}
