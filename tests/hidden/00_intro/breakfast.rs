//! Hidden checks for `00_intro/breakfast`.
//!
//! `make_coffee` and `make_toast` are the kit's: sleeps recorded in the check's bench, whose
//! length the check sets per run (seeded), so no learner file knows which job is the longer
//! one or how long either takes. Every check runs `breakfast` under a deadline with the
//! kit's `call`, waits for jobs left running, and judges the trace: each job made once, both
//! ended before `breakfast` returned (tied to the call), and they overlapped (peak overlap 2)
//! with a wall time below the two jobs one after the other. Checks that need it run breakfast
//! twice, once with each job the longer one and once quick, once slow, so that joining only
//! one of the threads, or sleeping for a fixed time instead of joining, fails whatever the
//! seed. Waiting needs no CPU, so this holds on any machine, however busy.
//!
//! Which variant (`tests/variants/00_intro/`) bites which check:
//! - `coffee_and_toast_are_each_made_once`: `breakfast_returns_at_once` (makes nothing);
//! - `both_are_ready_when_breakfast_returns`: `breakfast_no_join`, `breakfast_returns_at_once`,
//!   `breakfast_joins_only_the_coffee`, `breakfast_sleeps_instead_of_joining`;
//! - `coffee_and_toast_are_made_at_the_same_time`: `breakfast_join_each` (no overlap),
//!   `breakfast_no_join`, `breakfast_returns_at_once`, `breakfast_joins_only_the_coffee`,
//!   `breakfast_sleeps_instead_of_joining` (work still running at return, or too slow).

use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_each_once, assert_inside, assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;

use crate::exercise::*;

const COFFEE: &str = "make coffee";
const TOAST: &str = "make toast";
/// A breakfast that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// Which job takes longer, and on what scale.
#[derive(Clone, Copy)]
enum Menu {
    /// Both jobs short: a longer one of 250–300 ms.
    Quick(&'static str),
    /// Both jobs long: a longer one of 500–560 ms.
    Slow(&'static str),
}

/// Cooking times the check chose for one run.
struct Times {
    coffee: Duration,
    toast: Duration,
}

impl Times {
    fn draw(inputs: &mut Inputs, menu: Menu) -> Times {
        let (longer_job, (long, short)) = match menu {
            Menu::Quick(job) => (job, ((250, 300), (150, 200))),
            Menu::Slow(job) => (job, ((500, 560), (250, 320))),
        };
        let long = Duration::from_millis(inputs.between(long.0, long.1));
        let short = Duration::from_millis(inputs.between(short.0, short.1));
        if longer_job == COFFEE {
            Times {
                coffee: long,
                toast: short,
            }
        } else {
            Times {
                coffee: short,
                toast: long,
            }
        }
    }

    fn longer(&self) -> Duration {
        self.coffee.max(self.toast)
    }

    fn sequential(&self) -> Duration {
        self.coffee + self.toast
    }

    /// Below the two jobs one after the other, with most of the shorter job to spare.
    fn wall_bound(&self) -> Duration {
        self.longer() + self.coffee.min(self.toast) * 3 / 4
    }

    fn shown(&self) -> String {
        format!(
            "coffee {} ms, toast {} ms",
            self.coffee.as_millis(),
            self.toast.as_millis()
        )
    }
}

/// One breakfast: its call, and every job recorded once stragglers had time to end.
struct Run {
    times: Times,
    called: Called<()>,
    trace: Trace,
}

fn run(inputs: &mut Inputs, menu: Menu) -> Run {
    let times = Times::draw(inputs, menu);
    let bench = Bench::start();
    bench.set_latency(COFFEE, times.coffee);
    bench.set_latency(TOAST, times.toast);
    let called = call("breakfast", DEADLINE, breakfast);
    // Jobs still running when breakfast returned end within their cooking time.
    let trace = bench.settle(2, times.longer() + Duration::from_millis(500));
    Run {
        times,
        called,
        trace,
    }
}

fn count(trace: &Trace, label: &str) -> usize {
    trace.spans().iter().filter(|s| s.label == label).count()
}

#[test]
fn coffee_and_toast_are_each_made_once() {
    let mut inputs = Inputs::new();
    let longer = *inputs.pick(&[COFFEE, TOAST]);
    let run = run(&mut inputs, Menu::Quick(longer));
    assert_each_once(
        &run.trace,
        &[COFFEE.to_string(), TOAST.to_string()],
        "breakfast jobs",
    );
}

#[test]
fn both_are_ready_when_breakfast_returns() {
    let mut inputs = Inputs::new();
    for menu in [Menu::Quick(COFFEE), Menu::Slow(TOAST)] {
        let run = run(&mut inputs, menu);
        for job in [COFFEE, TOAST] {
            assert!(
                count(&run.trace, job) > 0,
                "breakfast ({}) returned after {} ms, and `{job}` was never made",
                run.times.shown(),
                run.called.elapsed().as_millis()
            );
        }
        assert_inside(&run.trace, &run.called, "breakfast jobs", "breakfast");
    }
}

#[test]
fn coffee_and_toast_are_made_at_the_same_time() {
    let mut inputs = Inputs::new();
    for menu in [Menu::Quick(TOAST), Menu::Slow(COFFEE)] {
        let run = run(&mut inputs, menu);
        assert_inside(&run.trace, &run.called, "breakfast jobs", "breakfast");
        assert_peak_overlap_at_least(&run.trace, 2, "breakfast jobs");
        assert_wall_below(
            run.called.elapsed(),
            run.times.wall_bound(),
            run.times.sequential(),
            &format!("breakfast ({})", run.times.shown()),
        );
    }
}
