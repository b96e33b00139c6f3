// Correct alternative for move_closures: named threads from `thread::Builder`,
// each closure owning a `(server, file)` pair made for it.

use std::thread::{self, JoinHandle};
use std::time::Instant;

use concur_kit::workload::upload;

/// Starts uploading every file on its own thread and returns at once: one
/// handle per file, in the order of `files`. Joining a handle gives the
/// address `upload` returned for that file.
pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    files
        .into_iter()
        .map(|file| (server.to_string(), file))
        .map(|(server, file)| {
            thread::Builder::new()
                .name(format!("upload {file}"))
                .spawn(move || upload(&server, &file))
                .expect("the system can start another thread")
        })
        .collect()
}

fn main() {
    let files = vec!["cat.jpg".to_string(), "dog.png".to_string()];
    let started = Instant::now();
    let handles = start_uploads("https://files.example", files);
    println!("start_uploads returned after {:?}", started.elapsed());
    for handle in handles {
        let address = handle.join().expect("an upload thread panicked");
        println!("uploaded to {address} after {:?}", started.elapsed());
    }
}
