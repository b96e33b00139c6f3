// Move closures: each upload thread owns its file name and its server address.
//
// Reference solution. The file name moves out of `files` into its thread;
// `server` is only borrowed, so every thread gets its own `String` copy. The
// handles are returned unjoined: the uploads keep running after this function
// has returned, which is exactly why their closures must own their data.

use std::thread::{self, JoinHandle};
use std::time::Instant;

use concur_kit::workload::upload;

/// Starts uploading every file on its own thread and returns at once: one
/// handle per file, in the order of `files`. Joining a handle gives the
/// address `upload` returned for that file.
pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    files
        .into_iter()
        .map(|file| {
            let server = server.to_string();
            thread::spawn(move || upload(&server, &file))
        })
        .collect()
}

fn main() {
    let files = vec![
        "cat.jpg".to_string(),
        "dog.png".to_string(),
        "notes.txt".to_string(),
    ];
    let started = Instant::now();
    let handles = start_uploads("https://files.example", files);
    println!("start_uploads returned after {:?}", started.elapsed());
    for handle in handles {
        let address = handle.join().expect("an upload thread panicked");
        println!("uploaded to {address} after {:?}", started.elapsed());
    }
}
