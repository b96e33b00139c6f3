// expect-fail: every_file_is_uploaded_once
// expect-fail: uploads_run_at_the_same_time
//
// Wrong variant of move_closures: every thread returns the address the file
// would get, without uploading it. It returns at once and the addresses are
// right, but no file was ever uploaded.

use std::thread::{self, JoinHandle};

pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    files
        .into_iter()
        .map(|file| {
            let server = server.to_string();
            thread::spawn(move || format!("{server}/{file}"))
        })
        .collect()
}

fn main() {
    for h in start_uploads("https://files.example", vec!["a".into(), "b".into()]) {
        println!("{}", h.join().expect("upload"));
    }
}
