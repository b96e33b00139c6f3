// When a worker panics
//
// A panic in a spawned thread does not bring the whole program down. It ends
// that one thread, and the panic is kept in its `JoinHandle`: `join()` returns
// `Err(payload)` instead of `Ok(value)`. Calling `.unwrap()` on that `Err`
// panics again, this time in the thread that joined, and that is how one bad
// worker takes everybody's results with it.
//
// The payload is a `Box<dyn Any + Send>`: whatever value the panic carried.
// `panic!("literal")` carries a `&'static str`, `panic!("part {n}")` carries a
// `String`; `payload.downcast_ref::<String>()` gives `Some(&String)` if it is
// one, `None` if not.
//
// When a worker panics, Rust still prints "thread '<unnamed>' panicked at ..."
// on the terminal. That is expected: printing is not the same as crashing.
//
// Your task: `inspect_all` inspects every part on its own thread, all at the
// same time. It must survive a worker that panics, and report it: return one
// result per part, in the order of `parts`, `Ok` with what `inspect` returned,
// or `Err` with the panic's message, so that the caller learns which part
// failed and why while the other parts keep their results. `inspect` is the
// kit's (`concur_kit::workload::inspect`): it takes a while, then returns the
// part's score or panics on a faulty part; the checks decide which are faulty.

use std::time::Instant;

use concur_kit::workload::inspect;

/// Inspects every part on its own thread, all at the same time. Returns one
/// result per part, in the order of `parts`: `Ok(score)`, or `Err(message)`
/// when inspecting that part panicked.
pub fn inspect_all(parts: &[u64]) -> Vec<Result<u64, String>> {
    let handles: Vec<_> = parts
        .iter()
        .map(|&part| std::thread::spawn(move || inspect(part)))
        .collect();
    // TODO: one faulty part and this whole function panics. Turn every
    // handle's `join()` into a result instead.
    handles
        .into_iter()
        .map(|handle| Ok(handle.join().unwrap()))
        .collect()
}

fn main() {
    let parts = [4, 8, 13, 15, 16];
    let started = Instant::now();
    for (part, result) in parts.iter().zip(inspect_all(&parts)) {
        println!("part {part}: {result:?}");
    }
    println!("inspected {} parts in {:?}", parts.len(), started.elapsed());
}
