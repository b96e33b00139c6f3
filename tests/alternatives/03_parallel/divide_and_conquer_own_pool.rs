// Divide and conquer with rayon::join.
//
// Correct alternative: the recursion runs inside a rayon thread pool of its own
// (sized the default way: one thread per core, or RAYON_NUM_THREADS), started
// once at the top with `install`; below it, `rayon::join` splits as usual.

fn split_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    if data.len() <= threshold {
        return leaf_sum(data);
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (a, b) = rayon::join(
        || split_sum(left, threshold, leaf_sum),
        || split_sum(right, threshold, leaf_sum),
    );
    a + b
}

pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    let pool = rayon::ThreadPoolBuilder::new().build().expect("a thread pool");
    pool.install(|| split_sum(data, threshold.max(1), leaf_sum))
}

fn main() {
    let data: Vec<u64> = (1..=1000).collect();
    println!("{}", parallel_sum(&data, 50, &|piece: &[u64]| piece.iter().sum()));
}
