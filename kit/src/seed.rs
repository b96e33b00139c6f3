//! Inputs a learner cannot predict, and a run that can still be replayed.
//!
//! A check draws its inputs (numbers, job sizes, which part is faulty, the order of work) from
//! [`Inputs`], seeded afresh for every run, so code that hard-codes the test data or computes
//! the answer from the arguments does not pass. The seed is sent to concur, which shows it
//! under a failing check; `concur verify NAME --seed N` (which sets [`SEED_ENV`]) runs the
//! checks on the same inputs again.
//!
//! [`Inputs::salt`] gives values only the check knows, for the workloads a check hands out
//! (a `fetch` whose answer is a fresh token, not the id it was asked for).
//!
//! In: the environment (a replayed seed) or randomness. Out: numbers, orders and tokens.

use crate::harness::{self, Message};

/// Names a seed to replay; set by `concur verify --seed`.
pub const SEED_ENV: &str = "CONCUR_SEED";

/// A check's source of inputs.
pub struct Inputs {
    seed: u64,
    rng: fastrand::Rng,
    key: u64,
}

impl Inputs {
    /// Inputs for this run: from the replayed seed when one is given, else a fresh one. The
    /// seed is reported to concur.
    pub fn new() -> Inputs {
        let seed = std::env::var(SEED_ENV)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(|| fastrand::u64(..));
        harness::send(&Message::Seed { seed });
        let mut rng = fastrand::Rng::with_seed(seed);
        let key = rng.u64(..);
        Inputs { seed, rng, key }
    }

    /// The seed these inputs come from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        self.rng.u64(low..=high)
    }

    /// `count` different numbers in `low..=high`, in random order.
    ///
    /// # Panics
    ///
    /// When the range holds fewer than `count` numbers.
    pub fn distinct(&mut self, count: usize, low: u64, high: u64) -> Vec<u64> {
        assert!(
            high.saturating_sub(low).saturating_add(1) >= count as u64,
            "{low}..={high} holds fewer than {count} numbers"
        );
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let n = self.between(low, high);
            if seen.insert(n) {
                out.push(n);
            }
        }
        out
    }

    /// `items` in a random order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        self.rng.shuffle(items);
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    /// A value for `of` that only this run knows: the same `of` gives the same value within a
    /// run, another run gives another. For the answers of workloads a check hands out.
    pub fn salt(&self, of: u64) -> u64 {
        // splitmix64 of the run's key and `of`: well mixed, and not invertible by guessing.
        let mut z = of
            .wrapping_add(self.key)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Default for Inputs {
    fn default() -> Inputs {
        Inputs::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_replays_the_same_inputs() {
        let mut a = Inputs {
            seed: 5,
            rng: fastrand::Rng::with_seed(5),
            key: 9,
        };
        let mut b = Inputs {
            seed: 5,
            rng: fastrand::Rng::with_seed(5),
            key: 9,
        };
        assert_eq!(a.distinct(10, 1, 100), b.distinct(10, 1, 100));
        assert_eq!(a.salt(3), b.salt(3));
        assert_ne!(a.salt(3), a.salt(4));
        let d = a.distinct(50, 1, 50);
        let mut sorted = d.clone();
        sorted.sort();
        assert_eq!(sorted, (1..=50).collect::<Vec<_>>());
    }
}
