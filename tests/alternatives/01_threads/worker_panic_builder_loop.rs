// Correct alternative for worker_panic: named threads from `thread::Builder`,
// handles pushed into a Vec in an explicit loop, and each `join()` matched by
// hand; the payload is downcast by value (`String` first, then `&str`).

use std::thread;

use concur_kit::workload::inspect;

pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    let mut handles = Vec::new();
    for &part in parts {
        let handle = thread::Builder::new()
            .name(format!("inspect {part}"))
            .spawn(move || inspect(part))
            .expect("an inspecting thread starts");
        handles.push(handle);
    }
    let mut results = Vec::new();
    for handle in handles {
        let result = match handle.join() {
            Ok(score) => Ok(score),
            Err(payload) => match payload.downcast::<String>() {
                Ok(message) => Err(*message),
                Err(payload) => match payload.downcast::<&'static str>() {
                    Ok(message) => Err(message.to_string()),
                    Err(_) => Err("the worker panicked".to_string()),
                },
            },
        };
        results.push(result);
    }
    results
}

fn main() {
    println!("{:?}", inspect_all(&[4, 8, 13]));
}
