#!/usr/bin/env python3
"""concur beside rustlings: the same steps, timed in one run, rounds interleaved.

Usage: python3 scripts/bench-rustlings.py [--rounds N] [--version V]

Installs rustlings (default 6.5.0) from crates.io into target/rustlings (a release build,
once; later runs reuse it), makes a rustlings folder with `rustlings init` and a concur course
copy in a temporary folder, each with its solutions in place, and times:

  * edit -> verdict: a change of code in rustlings' `threads1` and concur's `spawn_and_join`
    (both: threads that sleep, joined, results collected), then `rustlings run threads1` and
    `concur verify spawn_and_join`; concur's `worker_pool` too, which rustlings has no match
    for;
  * compile error -> verdict: the same files with a type error appended;
  * the whole course solved, warm: `rustlings check-all` (under a pseudo terminal, which it
    needs) and `concur verify` (every check run again).

rustlings' solutions are read from the source cargo keeps of the installed package; nothing
of rustlings is kept in this repository. Prints medians as a Markdown table for the README.
"""

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONCUR = REPO / "target" / "release" / "concur"


def timed(cmd, cwd, env, stdin=""):
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True)
    return time.perf_counter() - started, proc


def need(ok, what, proc):
    if not ok:
        sys.exit(f"bench-rustlings: {what}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def install_rustlings(version, env):
    root = REPO / "target" / "rustlings"
    binary = root / "bin" / "rustlings"
    if binary.exists():
        out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
        if version in out:
            return binary
    print(f"installing rustlings {version} into {root} (a release build, once)…", file=sys.stderr)
    subprocess.run(
        ["cargo", "install", "--locked", "--quiet", "rustlings", "--version", version,
         "--root", root, "--force"],
        env=env, check=True)
    return binary


def rustlings_source(version):
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    found = glob.glob(str(home / "registry" / "src" / "*" / f"rustlings-{version}"))
    if not found:
        sys.exit(f"bench-rustlings: no source of rustlings {version} under {home}/registry/src")
    return Path(found[0])


def make_rustlings(work, binary, source, env):
    proc = subprocess.run([binary, "init"], cwd=work, env=env, input="\n\n",
                          capture_output=True, text=True)
    need(proc.returncode == 0, "rustlings init failed", proc)
    folder = work / "rustlings"
    for solution in (source / "solutions").rglob("*.rs"):
        shutil.copy(solution, folder / "exercises" / solution.relative_to(source / "solutions"))
    return folder


def make_course(work):
    course = work / "course"
    (course / "tests").mkdir(parents=True)
    for part in ["info.toml", "exercises", "solutions"]:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, course / part)
    shutil.copytree(REPO / "tests" / "hidden", course / "tests" / "hidden")
    for solution in (course / "solutions").rglob("*.rs"):
        shutil.copy(solution, course / "exercises" / solution.relative_to(course / "solutions"))
    return course


class Edits:
    """Appends a fresh item of code (a comment would leave the tokens, and concur's verdict,
    unchanged), or a type error, and takes the error back out."""

    def __init__(self, path):
        self.path = path
        self.original = path.read_text()
        self.n = 0

    def code(self):
        self.n += 1
        self.path.write_text(self.original + f"\nfn _bench_edit_{self.n}() {{}}\n")

    def error(self):
        self.n += 1
        self.path.write_text(self.original + f"\nfn _bench_error_{self.n}() -> u32 {{ \"x\" }}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--course-rounds", type=int, default=3)
    parser.add_argument("--version", default="6.5.0")
    args = parser.parse_args()

    env = dict(os.environ, NO_COLOR="1")
    env.pop("CONCUR_COURSE", None)
    env.setdefault("CONCUR_TARGET_DIR", str(REPO / "target" / "bench-exercises"))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = install_rustlings(args.version, env)
    source = rustlings_source(args.version)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rl = make_rustlings(work, binary, source, env)
        course = make_course(work)
        concur = [str(CONCUR), "--course", str(course)]

        def rustlings(*cmd):
            # The welcome prompt waits for ENTER on the first run.
            return timed([str(binary), *cmd], rl, env, stdin="\n\n")

        def rustlings_check_all():
            # It draws its progress to the terminal's width, which the pseudo terminal of
            # `script` must be given.
            return timed(["script", "-qec", f"stty cols 100 rows 40; {binary} check-all",
                          "/dev/null"], rl, env, stdin="\n\n")

        # `rustlings run` checks every exercise again when it marks the last pending one done,
        # so the other exercises stay pending (not yet checked) until the whole-course rounds.
        print("warming up…", file=sys.stderr)
        _, proc = rustlings("run", "threads1")
        need(proc.returncode == 0, "rustlings run threads1 failed", proc)
        _, proc = timed(concur + ["verify"], course, env)
        need(proc.returncode == 0, "the solved course does not pass", proc)

        threads1 = Edits(rl / "exercises" / "20_threads" / "threads1.rs")
        spawn = Edits(course / "exercises" / "01_threads" / "spawn_and_join.rs")
        pool = Edits(course / "exercises" / "02_queues" / "worker_pool.rs")
        times = {k: [] for k in ["rl_edit", "cc_edit", "cc_pool", "rl_error", "cc_error"]}
        for r in range(args.rounds):
            threads1.code()
            t, proc = rustlings("run", "threads1")
            need(proc.returncode == 0, "rustlings run threads1 failed after an edit", proc)
            times["rl_edit"].append(t)
            spawn.code()
            t, proc = timed(concur + ["verify", "spawn_and_join"], course, env)
            need(proc.returncode == 0, "spawn_and_join failed after an edit", proc)
            times["cc_edit"].append(t)
            pool.code()
            t, proc = timed(concur + ["verify", "worker_pool"], course, env)
            need(proc.returncode == 0, "worker_pool failed after an edit", proc)
            times["cc_pool"].append(t)
            threads1.error()
            t, proc = rustlings("run", "threads1")
            need(proc.returncode != 0, "rustlings passed a type error", proc)
            times["rl_error"].append(t)
            spawn.error()
            t, proc = timed(concur + ["verify", "spawn_and_join"], course, env)
            need(proc.returncode == 1 and "error" in proc.stdout, "concur missed a type error", proc)
            times["cc_error"].append(t)
            print(f"round {r + 1}/{args.rounds}", file=sys.stderr)

        # Back to the solved files, built, before the whole-course rounds.
        for e in (threads1, spawn, pool):
            e.code()
        _, proc = rustlings_check_all()  # builds every exercise and marks them done
        need(proc.returncode == 0, "rustlings check-all found an exercise pending", proc)
        timed(concur + ["verify"], course, env)
        rl_all, cc_all = [], []
        for r in range(args.course_rounds):
            t, proc = rustlings_check_all()
            need(proc.returncode == 0, "rustlings check-all found an exercise pending", proc)
            rl_all.append(t)
            t, proc = timed(concur + ["verify"], course, env)
            need(proc.returncode == 0, "the solved course does not pass", proc)
            cc_all.append(t)
            print(f"whole course {r + 1}/{args.course_rounds}", file=sys.stderr)

    rl_count = len(list((source / "solutions").rglob("*.rs")))
    cc_count = sum(1 for line in (REPO / "info.toml").read_text().splitlines()
                   if line.startswith("name ="))
    m = {k: statistics.median(v) for k, v in times.items()}
    rl_course, cc_course = statistics.median(rl_all), statistics.median(cc_all)
    print(f"`python3 scripts/bench-rustlings.py --rounds {args.rounds}`, rustlings "
          f"{args.version}, {os.cpu_count()} cores, medians:\n")
    print("| measurement | rustlings | concur | ratio |")
    print("|---|---|---|---|")
    print(f"| edit → verdict (`threads1` / `spawn_and_join`) | {m['rl_edit']:.3f} s | "
          f"{m['cc_edit']:.3f} s | {m['cc_edit'] / m['rl_edit']:.2f} |")
    print(f"| compile error → verdict (same files) | {m['rl_error']:.3f} s | "
          f"{m['cc_error']:.3f} s | {m['cc_error'] / m['rl_error']:.2f} |")
    print(f"| edit → verdict, `worker_pool` | — | {m['cc_pool']:.3f} s | |")
    print(f"| whole course solved, warm | {rl_course:.1f} s ({rl_count} exercises) | "
          f"{cc_course:.1f} s ({cc_count} exercises) | |")


if __name__ == "__main__":
    main()
