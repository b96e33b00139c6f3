//! Hidden checks for `01_threads/shared_counter`.
//!
//! `serve_page` is the kit's: a sleep whose length the check sets per run (30–50 ms), recorded
//! in the check's bench as a span labelled `worker W, page P`, returning whether the page was
//! there. The check marks a few pages missing per run (seeded), so the count it wants, the
//! pages actually served, cannot be computed from the arguments (`workers × pages` is wrong
//! whenever a page is missing). Every run goes through the kit's `call`; the pages counted
//! lie inside it, each page is asked for exactly once, and the timing checks want the trace
//! fact (every worker busy at once) together with a wall bound well below the workers one
//! after another.
//!
//! Which variant (`tests/variants/01_threads/`) bites which check:
//! - `counter_reaches_the_exact_total`, `counter_is_exact_for_other_sizes`:
//!   `shared_counter_copied` (each `move` closure counts into a copy),
//!   `shared_counter_multiplies` (returns `workers × pages`), `shared_counter_counts_missing`
//!   (counts the pages that were not there too), `shared_counter_reads_early` (reads the
//!   counter before joining), `shared_counter_no_join`;
//! - `every_page_is_served_once`: `shared_counter_no_join` (returns while workers still serve);
//! - `workers_serve_pages_at_the_same_time`, `faster_than_one_worker_after_another`:
//!   `shared_counter_lock_held` (the lock is held while serving), `shared_counter_no_join`.

use std::collections::BTreeSet;
use std::time::Duration;

use concur_kit::bench::Bench;
use concur_kit::call::{call, Called};
use concur_kit::check::{
    assert_each_once, assert_inside, assert_peak_overlap_at_least, assert_wall_below,
};
use concur_kit::seed::Inputs;
use concur_kit::trace::Trace;
use concur_kit::workload::page_id;

use crate::exercise::*;

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// What the check chose for one run.
struct Setup {
    workers: usize,
    pages: usize,
    latency: Duration,
    /// `(worker, page)` of every page `serve_page` does not find.
    missing: BTreeSet<(usize, usize)>,
}

impl Setup {
    /// `workers` × `pages` pages of which `missing` (at most all of them) are not there.
    fn draw(inputs: &mut Inputs, workers: usize, pages: usize, missing: usize) -> Setup {
        let total = (workers * pages) as u64;
        let missing = if total == 0 {
            BTreeSet::new()
        } else {
            inputs
                .distinct(missing.min(workers * pages), 0, total - 1)
                .into_iter()
                .map(|i| (i as usize / pages, i as usize % pages))
                .collect()
        };
        Setup {
            workers,
            pages,
            latency: Duration::from_millis(inputs.between(30, 50)),
            missing,
        }
    }

    /// 3–5 workers of 3–5 pages, 2–4 of them missing.
    fn typical(inputs: &mut Inputs) -> Setup {
        let workers = inputs.between(3, 5) as usize;
        let pages = inputs.between(3, 5) as usize;
        let missing = inputs.between(2, 4) as usize;
        Setup::draw(inputs, workers, pages, missing)
    }

    fn served(&self) -> u64 {
        (self.workers * self.pages - self.missing.len()) as u64
    }

    fn labels(&self) -> Vec<String> {
        (0..self.workers)
            .flat_map(|w| (0..self.pages).map(move |p| format!("worker {w}, page {p}")))
            .collect()
    }

    fn sequential(&self) -> Duration {
        self.latency * (self.workers * self.pages) as u32
    }

    /// Two and a half times the ideal (one worker's pages), below the workers one after another.
    fn wall_bound(&self) -> Duration {
        self.latency * self.pages as u32 * 5 / 2
    }

    fn what(&self) -> String {
        format!(
            "{} workers serving {} pages of {} ms each",
            self.workers,
            self.pages,
            self.latency.as_millis()
        )
    }
}

struct Run {
    setup: Setup,
    called: Called<u64>,
    /// Every page asked for, once workers left running had time to end.
    trace: Trace,
}

fn run(setup: Setup) -> Run {
    let bench = Bench::start();
    bench.set_latency("serve_page", setup.latency);
    bench.mark(
        "serve_page",
        setup.missing.iter().map(|&(w, p)| page_id(w, p)),
    );
    let (workers, pages) = (setup.workers, setup.pages);
    let called = call(
        &format!("serve_and_count({workers}, {pages})"),
        DEADLINE,
        move || serve_and_count(workers, pages),
    );
    let trace = bench.settle(workers * pages, setup.sequential() + setup.latency * 5);
    Run {
        setup,
        called,
        trace,
    }
}

#[track_caller]
fn assert_count(setup: Setup) {
    let run = run(setup);
    let Setup {
        workers,
        pages,
        ref missing,
        ..
    } = run.setup;
    let expected = run.setup.served();
    let got = run.called.value;
    if got == expected {
        return;
    }
    let late = run
        .trace
        .spans()
        .iter()
        .filter(|s| s.end_us > run.called.end_us)
        .count();
    let why = if got == (workers * pages) as u64 && !missing.is_empty() {
        format!(
            " That is every page asked for, also the {} that serve_page did not find (it \
             returned false for them): count only the pages it served.",
            missing.len()
        )
    } else if late > 0 {
        format!(
            " {late} pages were still being served when it returned: join every worker before \
             reading the counter."
        )
    } else if got == 0 {
        " The counter it returned never moved, although every page had been served before it \
         returned: was it read before the workers had finished, or did each worker count into \
         a copy of its own?"
            .to_string()
    } else {
        String::new()
    };
    panic!(
        "serve_and_count({workers}, {pages}) returned {got}, but {expected} of the {} pages were \
         served ({} were missing: serve_page returned false for them).{why}",
        workers * pages,
        missing.len()
    );
}

#[test]
fn counter_reaches_the_exact_total() {
    assert_count(Setup::typical(&mut Inputs::new()));
}

#[test]
fn counter_is_exact_for_other_sizes() {
    let mut inputs = Inputs::new();
    let one = inputs.between(2, 4) as usize;
    let many = inputs.between(6, 8) as usize;
    let missing = inputs.between(1, 3) as usize;
    for (workers, pages, missing) in [(1, one, 1), (many, 2, missing), (3, 0, 0), (2, 2, 0)] {
        assert_count(Setup::draw(&mut inputs, workers, pages, missing));
    }
}

#[test]
fn every_page_is_served_once() {
    let run = run(Setup::typical(&mut Inputs::new()));
    assert_each_once(&run.trace, &run.setup.labels(), "pages");
    assert_inside(&run.trace, &run.called, "pages", "serve_and_count");
}

#[test]
fn workers_serve_pages_at_the_same_time() {
    let run = run(Setup::typical(&mut Inputs::new()));
    assert_inside(&run.trace, &run.called, "pages", "serve_and_count");
    assert_peak_overlap_at_least(&run.trace, run.setup.workers, "pages");
    assert_wall_below(
        run.called.elapsed(),
        run.setup.wall_bound(),
        run.setup.sequential(),
        &run.setup.what(),
    );
}

#[test]
fn faster_than_one_worker_after_another() {
    let run = run(Setup::typical(&mut Inputs::new()));
    assert_wall_below(
        run.called.elapsed(),
        run.setup.wall_bound(),
        run.setup.sequential(),
        &run.setup.what(),
    );
    assert_inside(&run.trace, &run.called, "pages", "serve_and_count");
    assert_peak_overlap_at_least(&run.trace, run.setup.workers, "pages");
}
