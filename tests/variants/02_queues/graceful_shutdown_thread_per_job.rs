// expect-fail: jobs_run_on_all_workers_at_once
//
// Wrong variant of graceful_shutdown: no workers at all, `submit` starts a
// thread for every job and `shutdown` joins them. Nothing is lost and it is
// fast, but it is not a service of `workers` threads.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

pub struct Service {
    work: Arc<dyn Fn(u64) -> u64 + Send + Sync>,
    jobs: std::sync::Mutex<Vec<JoinHandle<u64>>>,
}

impl Service {
    pub fn start<F>(_workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        Service { work: Arc::new(work), jobs: std::sync::Mutex::new(Vec::new()) }
    }

    pub fn submit(&self, job: u64) {
        let work = self.work.clone();
        self.jobs.lock().unwrap().push(thread::spawn(move || work(job)));
    }

    pub fn shutdown(self) -> Vec<u64> {
        let jobs = self.jobs.into_inner().unwrap();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    }
}

fn main() {}
