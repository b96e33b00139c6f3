// Divide and conquer with rayon.
//
// Correct alternative: instead of `rayon::join`, a `rayon::scope` spawns one
// task per half, each writing its sum into a local of its own; the scope
// returns when both are done. The pool's threads run the tasks.

pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (mut left_sum, mut right_sum) = (0, 0);
    rayon::scope(|s| {
        s.spawn(|_| left_sum = parallel_sum(left, threshold, leaf_sum));
        s.spawn(|_| right_sum = parallel_sum(right, threshold, leaf_sum));
    });
    left_sum + right_sum
}

fn main() {
    let data: Vec<u64> = (1..=1000).collect();
    println!("{}", parallel_sum(&data, 50, &|piece: &[u64]| piece.iter().sum()));
}
