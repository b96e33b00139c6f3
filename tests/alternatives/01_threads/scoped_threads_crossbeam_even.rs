// Correct alternative for scoped_threads: `crossbeam::thread::scope`, parts cut
// by hand as evenly as possible (sizes differ by at most one), each thread sends
// its part's sum over a channel.

use crossbeam::channel;

use concur_kit::workload::slow_sum;

pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    let parts = threads.min(numbers.len());
    let (tx, rx) = channel::unbounded();
    crossbeam::thread::scope(|s| {
        let mut rest = numbers;
        for k in 0..parts {
            let size = rest.len().div_ceil(parts - k);
            let (part, tail) = rest.split_at(size);
            rest = tail;
            let tx = tx.clone();
            s.spawn(move |_| tx.send(slow_sum(part)).unwrap());
        }
    })
    .unwrap();
    drop(tx);
    rx.iter().sum()
}

fn main() {}
