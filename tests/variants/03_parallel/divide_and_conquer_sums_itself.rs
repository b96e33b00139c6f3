// expect-fail: sum_is_correct
// expect-fail: pieces_are_at_most_the_threshold_and_cover_the_data
// expect-fail: pieces_are_summed_on_rayons_threads
// expect-fail: halves_are_summed_on_several_threads_at_once
//
// Wrong variant of divide_and_conquer: the split is right, but a small piece is
// summed with `iter().sum()` instead of `leaf_sum`, as if `leaf_sum` only added
// the numbers. The answer is computed from the data, not by the work it was
// given.

pub fn parallel_sum<F>(data: &[u64], threshold: usize, _leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (a, b) = rayon::join(
        || parallel_sum(left, threshold, _leaf_sum),
        || parallel_sum(right, threshold, _leaf_sum),
    );
    a + b
}

fn main() {}
