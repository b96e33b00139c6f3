// Divide and conquer with rayon::join.
//
// Reference solution. Below the threshold a piece is summed directly; above it,
// the slice is split in two and `rayon::join` sums both halves, letting an idle
// thread of the pool steal one of them. The recursion depth is only log2 of the
// number of pieces, so there is no risk of running out of stack.

use std::time::Instant;

/// The sum of `data` as `leaf_sum` counts it: split in halves until pieces have at most
/// `threshold` items, each piece summed by `leaf_sum`, halves summed at the same time.
pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (left_sum, right_sum) = rayon::join(
        || parallel_sum(left, threshold, leaf_sum),
        || parallel_sum(right, threshold, leaf_sum),
    );
    left_sum + right_sum
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
