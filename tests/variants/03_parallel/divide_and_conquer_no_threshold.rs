// expect-fail: pieces_are_at_most_the_threshold_and_cover_the_data
//
// Wrong variant of divide_and_conquer: the threshold is never looked at, so the
// slice is split all the way down to single items, and `leaf_sum` is called
// once per item.

pub fn parallel_sum<F>(data: &[u64], _threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= 1 {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (a, b) = rayon::join(
        || parallel_sum(left, _threshold, leaf_sum),
        || parallel_sum(right, _threshold, leaf_sum),
    );
    a + b
}

fn main() {}
