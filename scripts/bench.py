#!/usr/bin/env python3
"""Feedback-speed benchmark: concur next to the bare cargo command for the same target.

Usage: scripts/bench.py [--rounds N] [--cold] [--target-dir DIR]

Measures, on a copy of the course (solutions standing in for the learner's files):
  * edit -> verdict for one exercise of each track (threads, processes, async): concur's
    total, the same verify again with nothing to build (the checks and concur around them),
    the rest (what the edit cost), and a bare
    `cargo build --test` of the same generated target after the same kind of edit;
  * compile error -> verdict, next to the bare `cargo build --test` that fails the same way;
  * whole-course verify of the solved tree (warm) and of the starting files;
  * with --cold, everything in a new, empty target folder: the first build of the exercise
    dependencies is timed, and the folder's size is reported at the end;
  * the sandbox's isolation per check (`examples/sandbox_cost.rs`): /bin/true with the limits
    only and with the full jail (scratch folder, Landlock, network namespace), interleaved.
Each pair is measured in the same run, rounds interleaved, and the medians are compared.
Prints a Markdown table for the README. Needs only python3, cargo and a release build.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRACKS = [
    ("threads", "02_queues", "worker_pool"),
    ("processes", "04_processes", "process_pool"),
    ("async", "06_web_client", "fetch_all"),
]


def run(cmd, cwd, env, check=True):
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if check and proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed, proc


def exercise_time(output):
    """The exercises' own times from `--format json`, added up: each is the wall time from its
    first check's start to its last check's end. Exercises whose checks share the pool overlap,
    so the sum can exceed the whole run; what it shows is how much checking the pool
    overlapped."""
    return sum(e["duration_ms"] for e in json.loads(output)["exercises"]) / 1000


def edit(path, tag):
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n// edit {tag}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--cold", action="store_true", help="also time the first dependency build")
    parser.add_argument("--target-dir", default=str(REPO / "target" / "bench-exercises"))
    parser.add_argument("--sandbox-only", action="store_true",
                        help="only measure the sandbox's cost per check")
    args = parser.parse_args()

    cost = sandbox_cost(max(args.rounds * 10, 50))
    sandbox_row = ("sandbox isolation per check (scratch folder, Landlock, network namespace)",
                   f"**{cost['setup_ms']:.1f} ms**",
                   f"{cost['confined_ms']:.1f} ms jailed, {cost['bare_ms']:.1f} ms limits only "
                   f"({cost['rounds']} runs of /bin/true; Landlock ABI {cost['landlock_abi']}, "
                   f"network namespace {'yes' if cost['network'] else 'no'})",
                   "", "≤ 20 ms")
    if args.sandbox_only:
        print("| measurement | concur | of which | next to cargo | goal |")
        print("|---|---|---|---|---|")
        print("| " + " | ".join(sandbox_row) + " |")
        return

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    concur = str(REPO / "target" / "release" / "concur")
    work = Path(tempfile.mkdtemp(prefix="concur-bench-"))
    try:
        for part in ["info.toml", "exercises", "solutions"]:
            src = REPO / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, work / part)
        shutil.copytree(REPO / "tests" / "hidden", work / "tests" / "hidden")
        env = dict(os.environ, NO_COLOR="1", CONCUR_TARGET_DIR=args.target_dir)
        rows = [sandbox_row]

        if args.cold:
            # A new, empty target folder for the whole run: the first build is timed, and the
            # size at the end is that of one course with both trees built.
            args.target_dir = tempfile.mkdtemp(prefix="concur-cold-")
            env["CONCUR_TARGET_DIR"] = args.target_dir
            t, _ = run([concur, "verify", "--solutions", "hello_concur"], work, env)
            rows.append(("first dependency build (+ one exercise), empty target folder",
                         f"**{t:.1f} s**", "", "", "≤ 45 s"))

        stage = work / ".concur" / "build" / "exercises"
        for track, topic, name in TRACKS:
            learner = work / "exercises" / topic / f"{name}.rs"
            shutil.copy(work / "solutions" / topic / f"{name}.rs", learner)
            run([concur, "verify", name], work, env)  # warm: deps built, target compiled
            totals, checks, bare = [], [], []
            for i in range(args.rounds):
                edit(learner, f"c{i}")
                t, proc = run([concur, "verify", name], work, env)
                totals.append(t)
                # The same verify with nothing to build: the checks, and concur around them.
                t, proc = run([concur, "verify", name], work, env)
                checks.append(t)
                edit(learner, f"b{i}")
                t, _ = run(bare_build(stage, name), stage, dict(env, CARGO_TARGET_DIR=args.target_dir))
                bare.append(t)
            med = statistics.median
            rest = med(totals) - med(checks)
            goal = 0.7 if track == "async" else 0.5
            rows.append((f"edit → verdict, {track} (`{name}`)", f"{med(totals):.3f} s",
                         f"verify with nothing to build {med(checks):.3f} s, rest **{rest:.3f} s**",
                         f"bare build {med(bare):.3f} s, overhead **{(rest / med(bare) - 1) * 100:+.1f} %**",
                         f"rest ≤ {goal} s, overhead ≤ 10 %"))

        # Compile error: a type error in the threads exercise.
        track, topic, name = TRACKS[0]
        learner = work / "exercises" / topic / f"{name}.rs"
        good = learner.read_text(encoding="utf-8")
        totals, bare = [], []
        for i in range(args.rounds):
            learner.write_text(good + f"\npub fn broken_{i}() -> u32 {{ \"not a number\" }}\n", encoding="utf-8")
            t, proc = run([concur, "verify", name], work, env)
            assert "does not compile" in proc.stdout, proc.stdout
            totals.append(t)
            learner.write_text(good + f"\npub fn broken_b{i}() -> u32 {{ \"not a number\" }}\n", encoding="utf-8")
            t, _ = run(bare_build(stage, name), stage, dict(env, CARGO_TARGET_DIR=args.target_dir),
                       check=False)
            bare.append(t)
        learner.write_text(good, encoding="utf-8")
        med = statistics.median
        rows.append(("compile error → verdict (`worker_pool`)", f"**{med(totals):.3f} s**", "",
                     f"bare build {med(bare):.3f} s, ratio {med(totals) / med(bare):.2f}",
                     "≤ 0.3 s"))

        # Whole course, solved (warm: built once before) and unsolved.
        count = sum(1 for line in (work / "info.toml").read_text().splitlines() if line.strip() == "[[exercises]]")
        run([concur, "verify", "--solutions"], work, env)
        t, proc = run([concur, "verify", "--solutions", "--format", "json"], work, env)
        c = exercise_time(proc.stdout)
        rows.append((f"whole course, solved ({count} exercises, warm)", f"**{t:.1f} s**",
                     f"exercises' own times added up {c:.1f} s", "", "≤ 20 s"))
        for topic_dir in (work / "exercises").iterdir():
            if topic_dir.is_dir():
                for f in topic_dir.glob("*.rs"):
                    shutil.copy(REPO / "exercises" / topic_dir.name / f.name, f)
        t, proc = run([concur, "verify", "--format", "json"], work, env)
        rows.append((f"whole course, starting files ({count}, first build of this tree)", f"{t:.1f} s",
                     "", "", ""))
        t2, proc = run([concur, "verify", "--format", "json"], work, env)
        c2 = exercise_time(proc.stdout)
        rows.append((f"whole course, starting files again (warm)", f"**{t2:.1f} s**",
                     f"exercises' own times added up {c2:.1f} s", "", "≤ 30 s"))

        if args.cold:
            size = du(Path(args.target_dir)) / 2**20
            rows.append(("target folder: dependencies and both trees built", f"**{size:.0f} MiB**",
                         "", "", "≤ 300 MiB"))
            shutil.rmtree(args.target_dir, ignore_errors=True)

        print(f"rounds: {args.rounds}, cores: {os.cpu_count()}, {time.strftime('%Y-%m-%d')}\n")
        print("| measurement | concur | of which | next to cargo | goal |")
        print("|---|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def sandbox_cost(rounds):
    """Medians of the sandbox's isolation cost, from examples/sandbox_cost.rs."""
    import json
    proc = subprocess.run(["cargo", "run", "--quiet", "--release", "--example", "sandbox_cost", "--",
                           str(rounds)], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bare_build(stage, name):
    """The cargo command concur runs for `name`: its checks, and its program when the checks
    start it (exercises with `program = true`)."""
    cmd = ["cargo", "build", "--quiet", "--workspace", "--test", name]
    info = (REPO / "info.toml").read_text(encoding="utf-8")
    entry = info.split(f'name = "{name}"', 1)[1].split("[[exercises]]", 1)[0]
    if re.search(r"^program = true", entry, re.M):
        programs = (stage / "programs" / "Cargo.toml").read_text(encoding="utf-8")
        bin_name = re.search(rf'name = "([^"]*-{name}-[0-9a-f]+)"', programs).group(1)
        cmd += ["--bin", bin_name]
    return cmd


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    return total


if __name__ == "__main__":
    main()
