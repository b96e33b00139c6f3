#!/usr/bin/env python3
"""Save → verdict on screen in `concur watch`, for scripts/bench-latency.sh.

Usage: bench-watch.py CONCUR COURSE EXERCISE FILE ROUNDS
Starts `concur watch` on COURSE (current exercise: EXERCISE), then ROUNDS times appends an
edit to FILE and measures the time until the next verdict for EXERCISE appears on watch's
output. Prints one duration in seconds per line.
"""
import os
import subprocess
import sys
import time

concur, course, exercise, file, rounds = sys.argv[1:6]
marker = f"{exercise}  ".encode()
proc = subprocess.Popen(
    [concur, "watch"],
    cwd=course,
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
    stderr=subprocess.STDOUT,
)
os.set_blocking(proc.stdout.fileno(), False)
seen = b""


def wait_verdict(deadline=120.0):
    """Waits for a new verdict line ("✓ NAME  6/6 checks pass") and returns when it shows."""
    global seen
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        chunk = proc.stdout.read()
        if chunk:
            seen += chunk
            if b"checks pass" in seen and marker in seen:
                seen = b""
                return time.monotonic()
        time.sleep(0.002)
    sys.exit("no verdict from concur watch")


wait_verdict()
for i in range(int(rounds)):
    time.sleep(0.5)
    with open(file, "a", encoding="utf-8") as f:
        f.write(f"\n// watch edit {i}\n")
    saved = time.monotonic()
    print(f"{wait_verdict() - saved:.3f}")
proc.stdin.write(b"q\n")
proc.stdin.flush()
proc.wait(timeout=30)
