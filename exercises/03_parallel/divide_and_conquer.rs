// Divide and conquer with rayon::join
//
// Many problems split in two: sum the left half and the right half, then add;
// sort both halves, then merge. The halves are independent, so they can run at
// the same time. `rayon::join(a, b)` runs the closures `a` and `b`, possibly on
// two threads, and returns both results. Called recursively, it splits the work
// into a tree whose leaves rayon spreads over every core. Below some size a
// piece is not worth splitting: it is cheaper to do it directly.
//
// Your task: write `parallel_sum`. It must
//   - call `leaf_sum` directly on a slice of at most `threshold` items,
//   - otherwise split the slice in two halves, sum both at the same time with
//     `rayon::join`, and add the two results,
//   - return 0 for an empty slice.
//
// `main` runs a small demo: `concur run divide_and_conquer`.

use std::time::Instant;

/// The sum of `data`, split in halves until pieces have at most `threshold` items; each
/// piece is summed by `leaf_sum`, and halves are summed at the same time.
pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    // TODO: the small case, and the split.
    todo!("sum {} items, pieces of at most {threshold}", data.len())
}

fn slow_sum(piece: &[u64]) -> u64 {
    // Pretend every item costs some work.
    piece.iter().map(|&x| (0..2_000).fold(x, |acc, _| acc.rotate_left(7)) / x.max(1) * x).sum()
}

fn main() {
    let data: Vec<u64> = (1..=200_000).collect();
    let started = Instant::now();
    let sum = parallel_sum(&data, 10_000, &slow_sum);
    println!("sum {sum} in {:?}", started.elapsed());
}
