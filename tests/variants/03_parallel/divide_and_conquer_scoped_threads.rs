// expect-fail: pieces_are_summed_on_rayons_threads
//
// Wrong variant of divide_and_conquer: instead of `rayon::join`, every split
// spawns a scoped thread for the left half and sums the right half itself. The
// pieces are right and run at once, but on a new thread per split, none of
// them rayon's.

use std::thread;

pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold.max(1) {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    thread::scope(|s| {
        let left = s.spawn(|| parallel_sum(left, threshold, leaf_sum));
        let right = parallel_sum(right, threshold, leaf_sum);
        left.join().unwrap() + right
    })
}

fn main() {}
