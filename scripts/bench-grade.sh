#!/usr/bin/env bash
# Grading throughput: `concur grade` on the fixture class (six submissions of a two-exercise
# course, one hanging for its 3 s limit) and on a class of fully solved workspaces of the
# shipped course.
#
# Usage: scripts/bench-grade.sh [LEARNERS]   (default 4 solved workspaces; needs cargo)
# Prints the wall time of each and submissions per minute for the solved class.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
LEARNERS="${1:-4}"
cargo build --release --quiet
CONCUR="$REPO/target/release/concur"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export CONCUR_TARGET_DIR="${CONCUR_TARGET_DIR:-$REPO/target/bench-exercises}"
export CONCUR_CACHE_DIR="$WORK/cache"
export NO_COLOR=1
now() { date +%s.%N; }

# The fixture class.
cp -r tests/fixtures/class "$WORK/fixture"
(cd "$WORK/fixture" && "$CONCUR" --course course grade submissions --output warm >/dev/null)  # deps, warm
t0=$(now)
(cd "$WORK/fixture" && "$CONCUR" --course course grade submissions --output out >/dev/null)
t1=$(now)
printf 'fixture class (6 submissions): %.1f s\n' "$(echo "$t1 - $t0" | bc -l)"

# A class of solved workspaces, graded with the course in this repository.
mkdir -p "$WORK/class"
for i in $(seq "$LEARNERS"); do
    "$CONCUR" init "$WORK/class/learner$i" >/dev/null
    (cd solutions && find . -name '*.rs' -exec cp {} "$WORK/class/learner$i/exercises/{}" \;)
done
t0=$(now)
"$CONCUR" --course "$REPO" grade "$WORK/class" --output "$WORK/out"
t1=$(now)
secs=$(echo "$t1 - $t0" | bc -l)
printf 'solved class (%d submissions): %.1f s, %.2f submissions per minute\n' \
    "$LEARNERS" "$secs" "$(echo "$LEARNERS * 60 / $secs" | bc -l)"
head -3 "$WORK/out/gradebook.csv" | cut -c1-120
