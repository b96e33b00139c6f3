// expect-fail: each_stage_runs_on_a_thread_of_its_own
//
// Wrong variant of pipeline: every item gets a thread of its own that downloads
// and then parses it; the results are joined in order. Right and fast, and the
// two stages are busy at once (each behind a `Mutex`, since they are not
// `Sync`), but there is no pipeline: no stage has a thread of its own.

use std::sync::{Arc, Mutex};
use std::thread;

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    let (download, parse) = (Arc::new(Mutex::new(download)), Arc::new(Mutex::new(parse)));
    let handles: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let (download, parse) = (download.clone(), parse.clone());
            thread::spawn(move || {
                let page = (download.lock().unwrap())(id);
                (parse.lock().unwrap())(page)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn main() {}
