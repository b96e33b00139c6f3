// Divide and conquer with rayon::join.
//
// Correct alternative: one `match` on the length, the larger half on the left
// (`div_ceil`), and the empty slice answered without calling `leaf_sum`.

pub fn parallel_sum<F>(data: &[u64], threshold: usize, leaf_sum: &F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    match data.len() {
        0 => 0,
        n if n <= threshold.max(1) => leaf_sum(data),
        n => {
            let (left, right) = data.split_at(n.div_ceil(2));
            let (a, b) = rayon::join(
                || parallel_sum(left, threshold, leaf_sum),
                || parallel_sum(right, threshold, leaf_sum),
            );
            a + b
        }
    }
}

fn main() {
    let data: Vec<u64> = (1..=1000).collect();
    println!("{}", parallel_sum(&data, 50, &|piece: &[u64]| piece.iter().sum()));
}
