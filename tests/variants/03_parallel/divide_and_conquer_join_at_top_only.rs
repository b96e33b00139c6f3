// expect-fail: halves_are_summed_on_several_threads_at_once
//
// Wrong variant of divide_and_conquer: `rayon::join` for the first split only;
// below it, each half is split and summed one piece after another. Two threads
// work, whatever the size of the pool.

fn sequential_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    sequential_sum(left, threshold, leaf_sum) + sequential_sum(right, threshold, leaf_sum)
}

pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (a, b) = rayon::join(
        || sequential_sum(left, threshold, leaf_sum),
        || sequential_sum(right, threshold, leaf_sum),
    );
    a + b
}

fn main() {}
