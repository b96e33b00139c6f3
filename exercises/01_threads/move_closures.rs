// Move closures: threads own their data
//
// A thread started with `std::thread::spawn` may keep running after the
// function that spawned it has returned. So its closure may not borrow that
// function's local variables: they would be gone while the thread still uses
// them. The compiler says so ("closure may outlive the current function, but it
// borrows ..."), and `spawn` requires a closure that owns everything it uses
// (a `'static` closure).
//
// A `move` closure takes ownership of the variables it uses: a `String` moves
// into the thread, and nobody else can use it afterwards. When several threads
// each need the same data, give each one its own copy (`clone()` it, or
// `to_string()` a `&str`) before the closure takes it.
//
// Your task: `start_uploads` must start uploading every file, each on its own
// thread, and return at once, without waiting for a single upload to finish.
// It returns one `JoinHandle` per file, in the order of `files`; whoever calls
// it joins the handles later, and gets the address each file was uploaded to.
// `upload(server, file)` comes from concur's kit: it takes about 300 ms (the
// checks choose other times) and returns that address. The uploads must all
// run at the same time.

use std::thread::JoinHandle;
use std::time::Instant;

use concur_kit::workload::upload;

/// Starts uploading every file on its own thread and returns at once: one
/// handle per file, in the order of `files`. Joining a handle gives the
/// address `upload` returned for that file.
pub fn start_uploads(server: &str, files: Vec<String>) -> Vec<JoinHandle<String>> {
    // TODO: for every file, spawn a thread that calls `upload`, and keep its
    // handle. Each thread needs its own file name and its own copy of `server`.
    todo!("start uploading {} files to {server}", files.len())
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
