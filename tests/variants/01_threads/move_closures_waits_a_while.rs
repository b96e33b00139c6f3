// expect-fail: start_uploads_returns_before_the_uploads_finish
//
// Wrong variant of move_closures: the uploads start at once on threads of
// their own, but start_uploads then blocks for 250 ms, most of an upload,
// before it returns. No upload has finished by then, and still the caller
// waited.

use std::thread::{self, JoinHandle};
use std::time::Duration;

use concur_kit::workload::upload;

pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    let handles = files
        .into_iter()
        .map(|file| {
            let server = server.to_string();
            thread::spawn(move || upload(&server, &file))
        })
        .collect();
    thread::sleep(Duration::from_millis(250));
    handles
}

fn main() {
    for h in start_uploads("https://files.example", vec!["a".into(), "b".into()]) {
        println!("{}", h.join().expect("upload"));
    }
}
