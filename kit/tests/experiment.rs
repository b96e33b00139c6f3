//! The experiment stopwatch against real threads, a real child process and CPU work.
//! The thread counts read the whole process, and libtest starts a thread per test, so the two
//! measuring scenarios run one after the other inside a single test.

use std::time::Duration;

use concur_kit::experiment::Stopwatch;
use concur_kit::Trace;

#[test]
fn measures_threads_children_and_cpu_time() {
    counts_the_threads_and_children_alive_at_the_busiest_moment();
    counts_busy_cpu_time();
}

fn counts_the_threads_and_children_alive_at_the_busiest_moment() {
    let trace = Trace::new();
    let watch = Stopwatch::start("threads", "I/O-bound");
    std::thread::scope(|s| {
        for i in 0..3 {
            let trace = trace.clone();
            s.spawn(move || {
                trace.record(format!("job {i}"), || {
                    std::thread::sleep(Duration::from_millis(60))
                })
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

fn counts_busy_cpu_time() {
    let watch = Stopwatch::start("threads", "CPU-bound");
    // Spin until this thread has used 60 ms of CPU, however busy the machine is.
    let started = thread_cpu();
    let mut x = 0u64;
    while thread_cpu() - started < Duration::from_millis(60) {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
    }
    let m = watch.stop(&Trace::new());
    assert!(m.cpu() >= Duration::from_millis(55), "{m:?}");
    assert_eq!((m.threads, m.processes, m.peak), (1, 0, 0));
}

/// CPU time used by the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
