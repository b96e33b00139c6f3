#!/usr/bin/env python3
"""Checks one after another, or side by side: the same course graded both ways in one run.

Usage: scripts/bench-schedule.py [--rounds N] [--target-dir DIR]

Makes two copies of the course with the solutions standing in for the learner's files: one
as shipped (exercises marked `side_by_side = true` run their checks about waiting work in
one pool, eight at a time) and one with every `side_by_side` and `alone` line removed (every
check alone, as before). Rounds interleave the two copies. Measured, as medians:
  * edit -> verdict (a code edit, then `concur verify NAME`) for a few exercises;
  * the whole course solved, warm (`concur verify`), and the exercises marked side by side.
Every verdict must be a pass in both copies, or the script stops: a faster wrong verdict is
no result. Prints a Markdown table for the README. Needs python3, cargo and a release build.
"""

import argparse
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
EDITED = [("01_threads", "spawn_and_join"), ("02_queues", "worker_pool"),
          ("05_async", "limited_fetch"), ("06_web_client", "fetch_all")]


def run(cmd, cwd, env):
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} in {cwd} did not pass ({proc.returncode}):\n"
                 f"{proc.stdout}\n{proc.stderr}")
    return elapsed


def course_copy(side_by_side):
    work = Path(tempfile.mkdtemp(prefix="concur-schedule-"))
    for part in ["exercises", "solutions"]:
        shutil.copytree(REPO / part, work / part)
    shutil.copytree(REPO / "tests" / "hidden", work / "tests" / "hidden")
    text = (REPO / "info.toml").read_text(encoding="utf-8")
    if not side_by_side:
        text = "\n".join(l for l in text.split("\n")
                         if not re.match(r"(side_by_side|alone) = ", l))
    (work / "info.toml").write_text(text, encoding="utf-8")
    for topic in (work / "solutions").iterdir():
        for f in topic.glob("*.rs"):
            shutil.copy(f, work / "exercises" / topic.name / f.name)
    return work


def marked(info):
    """The exercises whose info.toml block says `side_by_side = true`."""
    names, name = [], None
    for line in info.read_text(encoding="utf-8").splitlines():
        m = re.match(r'name = "(\w+)"', line)
        if m:
            name = m.group(1)
        if line.strip() == "side_by_side = true":
            names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--target-dir", default=str(REPO / "target" / "bench-exercises"))
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    concur = str(REPO / "target" / "release" / "concur")
    env = dict(os.environ, NO_COLOR="1", CONCUR_TARGET_DIR=args.target_dir)
    copies = {"one by one": course_copy(False), "side by side": course_copy(True)}
    together = marked(REPO / "info.toml")
    try:
        for work in copies.values():
            run([concur, "verify"], work, env)  # warm: every exercise built once
        times = {(kind, what): [] for kind in copies
                 for what in [n for _, n in EDITED] + ["marked", "course"]}
        for i in range(args.rounds):
            for kind, work in copies.items():
                for topic, name in EDITED:
                    with open(work / "exercises" / topic / f"{name}.rs", "a",
                              encoding="utf-8") as f:
                        f.write(f"\n#[allow(dead_code)]\nfn bench_edit_{i}() {{}}\n")
                    times[(kind, name)].append(run([concur, "verify", name], work, env))
                times[(kind, "marked")].append(run([concur, "verify", *together], work, env))
                times[(kind, "course")].append(run([concur, "verify"], work, env))
        med = lambda kind, what: statistics.median(times[(kind, what)])
        print(f"rounds: {args.rounds}, cores: {os.cpu_count()}, {time.strftime('%Y-%m-%d')}\n")
        print("| measurement | one by one | side by side | ratio |")
        print("|---|---|---|---|")
        rows = [(f"edit → verdict, `{n}`", n) for _, n in EDITED]
        rows += [(f"the {len(together)} exercises marked side by side, solved, warm", "marked"),
                 ("whole course solved, warm", "course")]
        for label, what in rows:
            a, b = med("one by one", what), med("side by side", what)
            print(f"| {label} | {a:.3f} s | **{b:.3f} s** | {b / a:.2f} |")
    finally:
        for work in copies.values():
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
