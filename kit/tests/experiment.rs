//! The experiment stopwatch against real threads, a real child process and CPU work.
//! The thread counts read the whole process, so these tests take turns.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use concur_kit::experiment::{load, Measurement, Stopwatch, MEASUREMENT_PREFIX};
use concur_kit::Trace;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
#[test]
fn counts_the_threads_and_children_alive_at_the_busiest_moment() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let trace = Trace::new();
    let watch = Stopwatch::start("threads", "I/O-bound");
    std::thread::scope(|s| {
        for i in 0..3 {
            let trace = trace.clone();
            s.spawn(move || {
                concur_kit::traced(&trace, format!("job {i}"), Duration::from_millis(60), || ())
            });
        }
    });
    let mut child = std::process::Command::new("sleep")
        .arg("0.05")
        .spawn()
        .unwrap();
    child.wait().unwrap();
    let m = watch.stop(&trace);
    assert_eq!(m.peak, 3);
    assert!(m.threads >= 4, "3 spawned + the caller, got {}", m.threads);
    assert_eq!(m.processes, 1, "{m:?}");
    assert!(m.wall() >= Duration::from_millis(110));
}

#[test]
fn counts_busy_cpu_time() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let watch = Stopwatch::start("threads", "CPU-bound");
    let t = Instant::now();
    let mut x = 0u64;
    while t.elapsed() < Duration::from_millis(80) {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
    }
    let m = watch.stop(&Trace::new());
    assert!(m.cpu() >= Duration::from_millis(40), "{m:?}");
    assert_eq!((m.threads, m.processes, m.peak), (1, 0, 0));
}

#[test]
fn published_measurements_are_loaded_back_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let m = |approach: &str| Measurement {
        approach: approach.into(),
        workload: "I/O-bound".into(),
        wall_us: 1,
        cpu_us: 2,
        peak: 3,
        threads: 4,
        processes: 5,
        spans: vec![],
    };
    for (i, a) in ["threads", "async"].iter().enumerate() {
        let text = serde_json::to_string(&m(a)).unwrap();
        std::fs::write(
            dir.path()
                .join(format!("{MEASUREMENT_PREFIX}{i:06}-1.json")),
            text,
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("000000-1.json"), "{}").unwrap();
    assert_eq!(load(dir.path()), vec![m("threads"), m("async")]);
}
