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
// Only `leaf_sum` knows what an item is worth: never add items up yourself,
// add up what `leaf_sum` returns. The checks look at the pieces it was given,
// and at whether they were summed on rayon's threads, several at a time.
//
// `main` runs a small demo: `concur run divide_and_conquer`.

use std::time::Instant;

/// The sum of `data` as `leaf_sum` counts it: split in halves until pieces have at most
/// `threshold` items, each piece summed by `leaf_sum`, halves summed at the same time.
pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    // TODO: the small case, and the split.
    todo!("sum {} items, pieces of at most {threshold}", data.len())
}

fn slow_sum(piece: &[u64]) -> u64 {
    // Every item costs some work, then counts as itself.
    piece
        .iter()
        .map(|&x| {
            std::hint::black_box((0..2_000).fold(x, |acc, _| acc.rotate_left(7)));
            x
        })
        .sum()
}

fn main() {
    let data: Vec<u64> = (1..=200_000).collect();
    let started = Instant::now();
    let sum = parallel_sum(&data, 10_000, &slow_sum);
    println!("sum {sum} in {:?}", started.elapsed());
}
