// When a worker panics: `join()` hands the panic back as a value.
//
// Reference solution. Every part is inspected on its own thread; all of them
// are spawned before any is joined. A worker's panic comes back from `join()`
// as `Err(payload)`, which is turned into its message instead of being
// re-raised, so the other workers' results survive it.

use std::any::Any;
use std::thread;
use std::time::Instant;

use concur_kit::workload::inspect;

/// Inspects every part on its own thread, all at the same time. Returns one
/// result per part, in the order of `parts`: `Ok(score)`, or `Err(message)`
/// when inspecting that part panicked.
pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    let handles: Vec<_> = parts
        .iter()
        .map(|&part| thread::spawn(move || inspect(part)))
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().map_err(|payload| panic_message(&*payload)))
        .collect()
}

/// The message a panic carried: `panic!` makes it a `&'static str` or a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "the worker panicked with a value that is not a message".to_string()
    }
}

fn main() {
    let parts = [4, 8, 13, 15, 16];
    let started = Instant::now();
    for (part, result) in parts.iter().zip(inspect_all(&parts)) {
        println!("part {part}: {result:?}");
    }
    println!("inspected {} parts in {:?}", parts.len(), started.elapsed());
}
