// Correct alternative for move_closures: the server address is copied once into
// an `Arc<str>`, and every thread owns a clone of the `Arc`, not of the text.

use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Instant;

use concur_kit::workload::upload;

/// Starts uploading every file on its own thread and returns at once: one
/// handle per file, in the order of `files`. Joining a handle gives the
/// address `upload` returned for that file.
pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    let server: Arc<str> = Arc::from(server);
    files
        .into_iter()
        .map(|file| {
            let server = Arc::clone(&server);
            thread::spawn(move || upload(&server, &file))
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
