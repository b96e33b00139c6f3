//! What the sandbox's isolation costs each run: `/bin/true` run through `concur::sandbox`
//! with the limits only, and with a full jail (scratch folder, Landlock rules hiding the
//! folders a check hides, a network namespace with loopback up), rounds interleaved.
//! `scripts/bench.py` runs it and reports the medians; prints one JSON object.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use concur::sandbox::{self, Jail, Options};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let hidden: Vec<PathBuf> = [
        std::env::current_dir().ok(),
        home,
        Some(sandbox::scratch_parent()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (mut bare, mut confined) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        sandbox::run_with(Command::new("/bin/true"), Options::default()).expect("runs");
        bare.push(started.elapsed().as_secs_f64() * 1000.0);

        let started = Instant::now();
        let scratch = sandbox::scratch().expect("a scratch folder");
        let jail = Jail {
            scratch: scratch.path().to_path_buf(),
            programs: Vec::new(),
            hidden: hidden.clone(),
            shared_network: false,
        };
        let options = Options {
            jail: Some(jail),
            ..Options::default()
        };
        sandbox::run_with(Command::new("/bin/true"), options).expect("runs");
        drop(scratch);
        confined.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (bare, confined) = (median(&mut bare), median(&mut confined));
    let layers = sandbox::layers();
    println!(
        "{{\"rounds\":{rounds},\"bare_ms\":{bare:.2},\"confined_ms\":{confined:.2},\
         \"setup_ms\":{:.2},\"landlock_abi\":{},\"network\":{}}}",
        confined - bare,
        layers.landlock_abi,
        layers.network.in_force()
    );
}
