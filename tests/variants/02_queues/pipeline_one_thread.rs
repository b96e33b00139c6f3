// expect-fail: each_stage_runs_on_a_thread_of_its_own
// expect-fail: stages_work_at_the_same_time
//
// Wrong variant of pipeline: one thread downloads and parses each item in turn.

pub fn pipeline<D, P>(ids: Vec<u64>, download: D, parse: P) -> Vec<u64>
where
    D: Fn(u64) -> String + Send + 'static,
    P: Fn(String) -> u64 + Send + 'static,
{
    ids.into_iter().map(|id| parse(download(id))).collect()
}

fn main() {}
