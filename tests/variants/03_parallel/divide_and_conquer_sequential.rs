// expect-fail: pieces_are_summed_on_rayons_threads
// expect-fail: halves_are_summed_on_several_threads_at_once
//
// Wrong variant of divide_and_conquer: the right split, but the two halves are
// summed one after the other, so the whole tree runs on the calling thread.

pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    parallel_sum(left, threshold, leaf_sum) + parallel_sum(right, threshold, leaf_sum)
}

fn main() {}
