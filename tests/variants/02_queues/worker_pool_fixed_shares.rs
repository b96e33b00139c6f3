// expect-fail: a_free_worker_takes_the_next_job
//
// Wrong variant of worker_pool: the jobs are dealt out up front, one fixed share per worker
// (job i to worker i % workers), and each worker runs its own share. With jobs that all take
// as long it looks like a pool; when one job is slow, the other workers finish their shares
// and sit idle while the jobs behind the slow one wait.

use std::thread;

pub fn run_pool<J, R, F>(jobs: Vec<J>, workers: usize, work: F) -> Vec<R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(J) -> R + Send + Sync + 'static,
{
    let mut shares: Vec<Vec<J>> = (0..workers).map(|_| Vec::new()).collect();
    for (i, job) in jobs.into_iter().enumerate() {
        shares[i % workers].push(job);
    }
    let work = &work;
    thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || share.into_iter().map(work).collect::<Vec<R>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

fn main() {
    println!("{:?}", run_pool((1..=8u64).collect(), 4, |n| n * n));
}
