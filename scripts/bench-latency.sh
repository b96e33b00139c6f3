#!/usr/bin/env bash
# Edit → verdict latency of `concur verify` on the threads seed exercise, next to a bare
# `cargo build` of the same generated test target (what any runner must pay to compile).
#
# Usage: scripts/bench-latency.sh [ROUNDS]   (default 10; needs a release build of concur)
# Prints the median and mean of each, concur's overhead over the bare compile, and the
# checks' own sleep time, so the goal can be read off: verdict ≤ 0.6 s + check sleeps,
# overhead ≤ 15 %.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
ROUNDS="${1:-10}"
EXERCISE=worker_pool
FILE="exercises/02_queues/$EXERCISE.rs"

cargo build --release --quiet
CONCUR="$PWD/target/release/concur"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r info.toml exercises solutions "$WORK/"
mkdir -p "$WORK/tests" && cp -r tests/hidden "$WORK/tests/"
# The solution stands in for the learner's file, so every check runs to its end.
cp "solutions/02_queues/$EXERCISE.rs" "$WORK/$FILE"
export CONCUR_TARGET_DIR="${CONCUR_TARGET_DIR:-$PWD/target/bench-exercises}"
export NO_COLOR=1
cd "$WORK"

# Warm: dependencies built, the exercise compiled once.
"$CONCUR" verify "$EXERCISE" >/dev/null || { echo "warm-up failed"; "$CONCUR" verify "$EXERCISE"; exit 1; }

edit() { printf '\n// edit %s\n' "$1" >> "$FILE"; }
now() { date +%s.%N; }

concur_times=(); cargo_times=(); check_times=()
for i in $(seq "$ROUNDS"); do
    edit "c$i"
    t0=$(now); "$CONCUR" verify "$EXERCISE" > "$WORK/out.txt"; t1=$(now)
    concur_times+=("$(echo "$t1 - $t0" | bc -l)")
    # The checks' own time, as concur measured it (sum of the per-check durations).
    check_times+=("$(python3 - "$WORK/out.txt" <<'PY'
import re, sys
total = 0.0
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"[✓✗] \S+  (\d+(?:\.\d+)?)(ms|s)$", line.strip())
    if m:
        total += float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
print(f"{total:.3f}")
PY
)")
    edit "b$i"
    t0=$(now)
    (cd .concur/build/exercises && CARGO_TARGET_DIR="$CONCUR_TARGET_DIR" cargo build --quiet --test "$EXERCISE" 2>/dev/null)
    t1=$(now)
    cargo_times+=("$(echo "$t1 - $t0" | bc -l)")
done

# Watch mode: save → verdict on screen, with the exercise current (the only one not done).
python3 - "$WORK" "$EXERCISE" <<'PY'
import json, pathlib, sys
root, current = pathlib.Path(sys.argv[1]), sys.argv[2]
names = [l.split('"')[1] for l in (root / "info.toml").read_text().splitlines() if l.startswith("name = ")]
state = {"version": 1, "exercises": {n: {"status": "pending" if n == current else "done", "hints_shown": 0} for n in names}}
(root / ".concur").mkdir(exist_ok=True)
(root / ".concur" / "state.json").write_text(json.dumps(state))
PY
watch_times=($(python3 "$REPO/scripts/bench-watch.py" "$CONCUR" "$WORK" "$EXERCISE" "$WORK/$FILE" "$ROUNDS"))

python3 - "${concur_times[*]}" "${cargo_times[*]}" "${check_times[*]}" "${watch_times[*]}" <<'PY'
import statistics, sys
concur = [float(x) for x in sys.argv[1].split()]
cargo = [float(x) for x in sys.argv[2].split()]
checks = [float(x) for x in sys.argv[3].split()]
watch = [float(x) for x in sys.argv[4].split()]
med = statistics.median
print(f"rounds: {len(concur)}")
print(f"concur verify (edit → verdict): median {med(concur):.3f} s, mean {statistics.mean(concur):.3f} s")
print(f"  of which checks ran:          median {med(checks):.3f} s")
print(f"  so the rest (stage+build+report): median {med(concur) - med(checks):.3f} s")
print(f"bare cargo build --test:        median {med(cargo):.3f} s, mean {statistics.mean(cargo):.3f} s")
overhead = (med(concur) - med(checks)) / med(cargo) - 1
print(f"concur overhead over the bare compile: {overhead * 100:+.1f} %")
print(f"concur watch (save → verdict on screen): median {med(watch):.3f} s, mean {statistics.mean(watch):.3f} s")
print(f"watch above verify: {(med(watch) - med(concur)) * 1000:+.0f} ms (goal: at most +100 ms)")
PY
