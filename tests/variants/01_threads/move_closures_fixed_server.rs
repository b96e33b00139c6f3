// expect-fail: joining_gives_each_file_its_address
//
// Wrong variant of move_closures: the closures own everything they use, but
// instead of a copy of `server` each one takes the server of the example in
// `main`, so every file goes to the wrong place.

use std::thread::{self, JoinHandle};

use concur_kit::workload::upload;

pub fn start_uploads(_server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    files
        .into_iter()
        .map(|file| thread::spawn(move || upload("https://files.example", &file)))
        .collect()
}

fn main() {
    for h in start_uploads("https://files.example", vec!["a".into(), "b".into()]) {
        println!("{}", h.join().expect("upload"));
    }
}
