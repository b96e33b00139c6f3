// expect-fail: start_uploads_returns_before_the_uploads_finish
//
// Wrong variant of move_closures: the uploads run at the same time, but
// start_uploads waits until every one of them has finished before it returns.

use std::thread::{self, JoinHandle};
use std::time::Duration;

use concur_kit::workload::upload;

pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    let handles: Vec<JoinHandle<String>> = files
        .into_iter()
        .map(|file| {
            let server = server.to_string();
            thread::spawn(move || upload(&server, &file))
        })
        .collect();
    while !handles.iter().all(|h| h.is_finished()) {
        thread::sleep(Duration::from_millis(5));
    }
    handles
}

fn main() {
    for h in start_uploads("https://files.example", vec!["a".into(), "b".into()]) {
        println!("{}", h.join().expect("upload"));
    }
}
