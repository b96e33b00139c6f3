//! The bench records the learner-facing workloads: in this process directly, and in child
//! processes through the witness socket, with the pid the kernel reports. One test in this
//! binary, because a bench is process-wide while it lives. The children are this test binary
//! again, selected with `CHILD_MODE`.

use std::process::Command;
use std::time::Duration;

use concur_kit::workload::{crunch, simulate, slow_square, LATENCY};
use concur_kit::Bench;

const CHILD_MODE: &str = "CONCUR_KIT_BENCH_CHILD";

#[test]
fn workloads_record_into_the_bench_here_and_in_children() {
    if let Ok(mode) = std::env::var(CHILD_MODE) {
        return child(&mode);
    }
    // Outside any bench, a workload just works.
    assert_eq!(slow_square(3), 9);

    let bench = Bench::start().with_children();
    let started = bench.now_us();
    std::thread::scope(|s| {
        s.spawn(|| slow_square(4));
        s.spawn(|| simulate("fetch", Duration::from_millis(50)));
    });
    let here = bench.trace();
    assert_eq!(here.len(), 2, "{:?}", here.spans());
    assert_eq!(here.peak_overlap(), 2);
    assert_eq!(here.distinct_threads(), 2);
    assert!(here.spans().iter().all(|s| s.start_us >= started));
    assert!(here.spans().iter().all(|s| s.pid == std::process::id()));

    bench.clear();
    let children: Vec<_> = ["square", "crunch"]
        .iter()
        .map(|mode| {
            Command::new(std::env::current_exe().expect("test binary"))
                .args([
                    "--exact",
                    "workloads_record_into_the_bench_here_and_in_children",
                ])
                .env(CHILD_MODE, mode)
                .spawn()
                .expect("spawn child")
        })
        .collect();
    let pids: Vec<u32> = children.iter().map(|c| c.id()).collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    let spans = bench.spans();
    assert_eq!(spans.len(), 2, "{spans:?}");
    let square = spans
        .iter()
        .find(|s| s.label == "slow_square(5)")
        .expect("the child's slow_square");
    assert_eq!(square.pid, pids[0], "the pid is the one the kernel names");
    assert!(square.duration() >= LATENCY);
    let crunched = spans
        .iter()
        .find(|s| s.label == "crunch(2)")
        .expect("the child's crunch");
    assert_eq!(crunched.pid, pids[1]);
    let cpu = crunched
        .cpu_us
        .expect("the witness measured the child's CPU time");
    assert!(cpu > 5_000, "a crunch is CPU work: {cpu} µs");

    drop(bench);
    assert_eq!(slow_square(2), 4, "after the bench, nothing records");
}

fn child(mode: &str) {
    match mode {
        "square" => assert_eq!(slow_square(5), 25),
        "crunch" => {
            crunch(2);
        }
        other => panic!("unknown child mode {other}"),
    }
}
