// expect-fail: uploads_run_at_the_same_time
//
// Wrong variant of move_closures: start_uploads returns at once, but every
// upload thread holds one shared lock while it uploads, so the uploads take
// turns instead of running together.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use concur_kit::workload::upload;

pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    let one_at_a_time = Arc::new(Mutex::new(()));
    files
        .into_iter()
        .map(|file| {
            let server = server.to_string();
            let lock = Arc::clone(&one_at_a_time);
            thread::spawn(move || {
                let _turn = lock.lock().expect("lock");
                upload(&server, &file)
            })
        })
        .collect()
}

fn main() {
    for h in start_uploads("https://files.example", vec!["a".into(), "b".into()]) {
        println!("{}", h.join().expect("upload"));
    }
}
