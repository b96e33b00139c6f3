//! When each check runs, across all the exercises of one grading.
//!
//! In: per exercise, the names of its checks and its [`Schedule`] (or nothing to run), and a
//! function that runs one check. Out: each exercise's results in the order of its check file,
//! handed over in course order as soon as an exercise and every one before it are done.
//!
//! Exercises whose checks measure no time, or only waiting work (sleeps, the mock API), share
//! the machine: consecutive ones put their checks in one pool, [`Schedule::SIDE_BY_SIDE`] at
//! once whatever the cores, so the verdict is the same on 2 cores and on 16. Their checks named
//! `alone` (they measure CPU time) then run one at a time, with nothing else running. An
//! exercise whose checks run one after another (the default) runs by itself, in its turn.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::course::Schedule;
use crate::outcome::CheckResult;

/// One exercise's checks, as the scheduler sees them.
#[derive(Debug, Clone)]
pub struct Work {
    /// In the order of the check file.
    pub checks: Vec<String>,
    pub schedule: Schedule,
}

impl Work {
    /// Whether the exercise's checks may share the machine with other exercises' checks.
    fn shares(&self) -> bool {
        !matches!(self.schedule, Schedule::OneByOne)
    }

    /// Whether check `name` must run with nothing else running.
    fn alone(&self, name: &str) -> bool {
        match &self.schedule {
            Schedule::OneByOne => true,
            Schedule::AllAtOnce => false,
            Schedule::SideBySide { alone } => alone.iter().any(|a| a == name),
        }
    }
}

/// A finished exercise: its results in check-file order, and the time from the start of its
/// first check to the end of its last.
pub struct Finished {
    pub checks: Vec<CheckResult>,
    pub wall: Duration,
}

/// Runs the checks of every exercise in `work` (`None`: nothing to run) with `check(exercise,
/// name)`, calling `done(exercise, finished)` in exercise order. Stops starting checks once
/// `stopped()` says so; the exercises not finished then are not handed over.
pub fn run(
    work: &[Option<Work>],
    check: impl Fn(usize, &str) -> CheckResult + Sync,
    stopped: impl Fn() -> bool + Sync,
    mut done: impl FnMut(usize, Option<Finished>),
) {
    let mut ledger = Ledger::new(work);
    let mut next = 0;
    while next < work.len() {
        // The exercises that share the machine from `next` on, or the one that does not.
        let end = match &work[next] {
            Some(w) if w.shares() => {
                next + work[next..]
                    .iter()
                    .take_while(|w| w.as_ref().is_none_or(Work::shares))
                    .count()
            }
            _ => next + 1,
        };
        let segment = next..end;
        let together: Vec<(usize, &str)> = segment
            .clone()
            .flat_map(|i| tasks(work, i, false))
            .collect();
        let alone: Vec<(usize, &str)> =
            segment.clone().flat_map(|i| tasks(work, i, true)).collect();
        ledger.run_pool(
            together,
            Schedule::SIDE_BY_SIDE,
            &check,
            &stopped,
            &mut done,
        );
        for (i, name) in alone {
            if stopped() {
                return;
            }
            let started = Instant::now();
            let result = check(i, name);
            ledger.record(i, name, result, started);
            ledger.hand_over(&mut done);
        }
        ledger.hand_over(&mut done);
        if stopped() {
            return;
        }
        next = end;
    }
}

/// The checks of exercise `i` that run alone (`alone`) or in the pool.
fn tasks(work: &[Option<Work>], i: usize, alone: bool) -> Vec<(usize, &str)> {
    work[i]
        .iter()
        .flat_map(|w| w.checks.iter().filter(move |c| w.alone(c) == alone))
        .map(|c| (i, c.as_str()))
        .collect()
}

/// What has finished so far, and what has been handed over.
struct Ledger<'w> {
    work: &'w [Option<Work>],
    results: Vec<Vec<Option<CheckResult>>>,
    spans: Vec<Option<(Instant, Instant)>>,
    handed: usize,
}

impl<'w> Ledger<'w> {
    fn new(work: &'w [Option<Work>]) -> Ledger<'w> {
        Ledger {
            work,
            results: work
                .iter()
                .map(|w| vec![None; w.as_ref().map_or(0, |w| w.checks.len())])
                .collect(),
            spans: vec![None; work.len()],
            handed: 0,
        }
    }

    /// Runs `tasks`, `workers` at once, recording each result as it arrives and handing over
    /// the exercises it completes.
    fn run_pool(
        &mut self,
        tasks: Vec<(usize, &str)>,
        workers: usize,
        check: &(impl Fn(usize, &str) -> CheckResult + Sync),
        stopped: &(impl Fn() -> bool + Sync),
        done: &mut impl FnMut(usize, Option<Finished>),
    ) {
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..workers.min(tasks.len()) {
                let (tx, next, tasks) = (tx.clone(), &next, &tasks);
                scope.spawn(move || {
                    while let Some(&(i, name)) = tasks.get(next.fetch_add(1, Ordering::SeqCst)) {
                        if stopped() {
                            break;
                        }
                        let started = Instant::now();
                        let result = check(i, name);
                        if tx.send((i, name, result, started)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (i, name, result, started) in rx {
                self.record(i, name, result, started);
                self.hand_over(done);
            }
        });
    }

    fn record(&mut self, i: usize, name: &str, result: CheckResult, started: Instant) {
        let Some(work) = &self.work[i] else { return };
        if let Some(slot) = work.checks.iter().position(|c| c == name) {
            self.results[i][slot] = Some(result);
        }
        let ended = Instant::now();
        let span = self.spans[i].get_or_insert((started, ended));
        *span = (span.0.min(started), span.1.max(ended));
    }

    /// Hands over, in order, every exercise that is complete and has all before it handed.
    fn hand_over(&mut self, done: &mut impl FnMut(usize, Option<Finished>)) {
        while self.handed < self.work.len() {
            let i = self.handed;
            if self.work[i].is_none() {
                done(i, None);
            } else if self.results[i].iter().all(Option::is_some) {
                let checks = std::mem::take(&mut self.results[i])
                    .into_iter()
                    .flatten()
                    .collect();
                let wall = self.spans[i].map_or(Duration::ZERO, |(a, b)| b - a);
                done(i, Some(Finished { checks, wall }));
            } else {
                return;
            }
            self.handed += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::CheckOutcome;
    use std::sync::Mutex;

    fn result(name: &str) -> CheckResult {
        CheckResult::bare(name, CheckOutcome::Passed)
    }

    fn work(checks: &[&str], schedule: Schedule) -> Option<Work> {
        Some(Work {
            checks: checks.iter().map(|c| c.to_string()).collect(),
            schedule,
        })
    }

    fn side_by_side(alone: &[&str]) -> Schedule {
        Schedule::SideBySide {
            alone: alone.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// Runs `work` with checks that sleep 50 ms and note who else was running; returns, per
    /// check, the exercise, the name and the most checks seen running at once while it ran,
    /// and the exercises in the order they were handed over.
    fn observe(work: &[Option<Work>]) -> (Vec<(usize, String, usize)>, Vec<usize>) {
        let running = AtomicUsize::new(0);
        let seen = Mutex::new(Vec::new());
        let mut handed = Vec::new();
        run(
            work,
            |i, name| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                std::thread::sleep(Duration::from_millis(50));
                let most = now.max(running.load(Ordering::SeqCst));
                running.fetch_sub(1, Ordering::SeqCst);
                seen.lock().unwrap().push((i, name.to_string(), most));
                result(name)
            },
            || false,
            |i, finished| {
                if let Some(f) = &finished {
                    let names: Vec<_> = f.checks.iter().map(|c| c.name.clone()).collect();
                    assert_eq!(names, work[i].as_ref().unwrap().checks, "check-file order");
                }
                handed.push(i);
            },
        );
        (seen.into_inner().unwrap(), handed)
    }

    #[test]
    fn waiting_checks_of_neighbouring_exercises_share_the_machine() {
        let work = [
            work(&["a1", "a2"], side_by_side(&[])),
            work(&["b1", "b2", "b3"], side_by_side(&[])),
            None,
            work(&["c1"], Schedule::AllAtOnce),
        ];
        let (seen, handed) = observe(&work);
        assert_eq!(handed, [0, 1, 2, 3]);
        assert_eq!(seen.len(), 6);
        let most = seen.iter().map(|s| s.2).max().unwrap();
        assert!(
            most > 2 && most <= Schedule::SIDE_BY_SIDE,
            "checks of several exercises at once, never more than the pool: {seen:?}"
        );
    }

    #[test]
    fn a_cpu_check_and_a_one_by_one_exercise_run_with_nothing_else() {
        let work = [
            work(&["w1", "spins", "w2"], side_by_side(&["spins"])),
            work(&["x1", "x2"], side_by_side(&[])),
            work(&["t1", "t2"], Schedule::OneByOne),
            work(&["y1", "y2"], side_by_side(&[])),
        ];
        let (seen, handed) = observe(&work);
        assert_eq!(handed, [0, 1, 2, 3]);
        for (i, name, most) in &seen {
            if name == "spins" || *i == 2 {
                assert_eq!(*most, 1, "{name} shared the machine: {seen:?}");
            }
        }
        // Course order between the kinds: the one-by-one exercise runs after the exercises
        // before it and before the ones after it.
        let at = |n: &str| seen.iter().position(|s| s.1 == n).unwrap();
        assert!(at("spins") < at("t1") && at("x2") < at("t1") && at("t2") < at("y1"));
        assert!(
            seen.iter().any(|s| s.0 <= 1 && s.2 >= 3),
            "the waiting checks of the first two exercises ran one at a time: {seen:?}"
        );
    }

    #[test]
    fn nothing_starts_once_stopped() {
        let work = [
            work(&["a", "b"], side_by_side(&[])),
            work(&["c"], Schedule::OneByOne),
        ];
        let ran = AtomicUsize::new(0);
        let mut handed = Vec::new();
        run(
            &work,
            |_, name| {
                ran.fetch_add(1, Ordering::SeqCst);
                result(name)
            },
            || ran.load(Ordering::SeqCst) >= 1,
            |i, _| handed.push(i),
        );
        assert!(
            ran.load(Ordering::SeqCst) < 3,
            "checks started after the stop"
        );
        assert!(!handed.contains(&1));
    }
}
