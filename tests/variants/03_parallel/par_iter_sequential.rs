// expect-fail: checksums_run_on_rayons_threads
// expect-fail: checksums_run_on_several_threads_at_once
// expect-fail: counting_runs_on_rayons_threads
// expect-fail: counting_runs_on_several_threads_at_once
//
// Wrong variant of par_iter: the starting file's sequential iterators, moved
// onto one other thread. Right answers, one thread, none of them rayon's.

pub fn checksums<F>(blocks: &[Vec<u8>], checksum: F) -> Vec<u64>
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    std::thread::scope(|s| s.spawn(|| blocks.iter().map(|b| checksum(b)).collect()).join().unwrap())
}

pub fn count_corrupt<F>(blocks: &[Vec<u8>], expected: &[u64], checksum: F) -> usize
where
    F: Fn(&[u8]) -> u64 + Sync + Send,
{
    blocks.iter().zip(expected).filter(|(b, w)| checksum(b) != **w).count()
}

fn main() {}
