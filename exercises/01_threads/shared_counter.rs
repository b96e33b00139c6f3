// Shared state: Arc<Mutex<_>>
//
// Sometimes threads must update the same value, say a counter of pages served.
// If two threads could change it at the same moment, updates would get lost:
// both read 5, both write 6. That is a DATA RACE, and in Rust it does not
// compile. A closure given to `spawn` must own what it uses, and there can only
// ever be one `&mut` to a value, so the compiler rejects every way of letting
// two threads write to one plain variable.
//
// Two standard types make sharing safe:
//   - `Arc<T>` (atomically reference-counted) lets several threads own the same
//     value. `Arc::clone(&shared)` gives another owner, not another value.
//   - `Mutex<T>` lets one thread at a time in: `lock()` waits for your turn and
//     returns a guard you use like a `&mut T`; the lock is released when the
//     guard is dropped. Keep it only as long as you need it: while you hold
//     the lock, every other thread that wants it waits.
//
// Careful with a plain `u64` counter and a `move` closure: the closure gets its
// own *copy*, counts into that, and the original never changes.
//
// Your task: `serve_and_count` must start `workers` threads that all work at
// the same time. Each one asks `serve_page` for its `pages_per_worker` pages.
// `serve_page(worker, page)` comes from concur's kit: it takes about 40 ms and
// returns whether the page was there. A missing page was not served, so it
// does not count. Every worker counts the pages it served in one counter
// shared by all workers; return the count once every worker has finished.

use std::time::Instant;

use concur_kit::workload::serve_page;

/// Runs `workers` threads at once, each asking for `pages_per_worker` pages,
/// and returns how many pages were served, counted in one shared counter.
pub fn serve_and_count(workers: usize, pages_per_worker: usize) -> u64 {
    let mut served = 0;
    // TODO: one worker at a time, all on this thread. Give each worker its own
    // thread, and share `served` between them.
    for worker in 0..workers {
        for page in 0..pages_per_worker {
            if serve_page(worker, page) {
                served += 1;
            }
        }
    }
    served
}

fn main() {
    let started = Instant::now();
    let served = serve_and_count(4, 4);
    println!("4 workers served {served} pages in {:?}", started.elapsed());
}
