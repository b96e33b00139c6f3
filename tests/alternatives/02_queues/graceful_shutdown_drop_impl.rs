// Correct alternative for graceful_shutdown: the service also shuts down when
// dropped (`impl Drop`), so its sender is an `Option` taken out to close the
// queue; named worker threads share an std `mpsc::Receiver` behind
// `Arc<Mutex<_>>` and send their results back on a second channel.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

pub struct Service {
    jobs: Option<Sender<u64>>,
    workers: Vec<JoinHandle<()>>,
    results: Receiver<u64>,
}

impl Service {
    pub fn start<F>(workers: usize, work: F) -> Service
    where
        F: Fn(u64) -> u64 + Send + Sync + 'static,
    {
        let (jobs_tx, jobs_rx) = mpsc::channel::<u64>();
        let (results_tx, results) = mpsc::channel::<u64>();
        let jobs_rx = Arc::new(Mutex::new(jobs_rx));
        let work = Arc::new(work);
        let workers = (0..workers)
            .map(|i| {
                let jobs_rx = Arc::clone(&jobs_rx);
                let results_tx = results_tx.clone();
                let work = Arc::clone(&work);
                thread::Builder::new()
                    .name(format!("worker {i}"))
                    .spawn(move || loop {
                        // The guard is a temporary of this statement: unlocked before the work.
                        let next = jobs_rx.lock().unwrap().recv();
                        let Ok(job) = next else { break };
                        if results_tx.send(work(job)).is_err() {
                            break;
                        }
                    })
                    .expect("a worker starts")
            })
            .collect();
        Service { jobs: Some(jobs_tx), workers, results }
    }

    pub fn submit(&self, job: u64) {
        self.jobs.as_ref().expect("not shut down").send(job).unwrap();
    }

    pub fn shutdown(mut self) -> Vec<u64> {
        self.stop();
        self.results.try_iter().collect()
    }

    fn stop(&mut self) {
        self.jobs.take();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

fn main() {}
