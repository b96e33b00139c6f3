#!/usr/bin/env bash
# First-run benchmark: what a new learner waits for, from a fresh clone of concur to the first
# verdict in a new workspace, on this machine.
#
# Usage: scripts/first-run.sh
#
# Steps, each timed: `cargo install --path .` (a release build of concur), `concur init`, the
# first `concur verify hello_concur` (it builds the exercise dependencies into an empty cache),
# then a second verify after an edit (what every later save costs). Builds go to a temporary
# folder, removed at the end; crates already in ~/.cargo are not downloaded again, so a machine
# that has never fetched them also waits for the download.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target" CONCUR_CACHE_DIR="$work/cache"
unset CONCUR_TARGET_DIR CONCUR_COURSE
git clone -q "$repo" "$work/concur"

now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.1f} s')"; }

start=$(now)
cargo install --locked --quiet --path "$work/concur" --root "$work/bin"
install=$(since "$start")
concur="$work/bin/bin/concur"

step=$(now)
"$concur" init "$work/ws" >/dev/null
init=$(since "$step")

cd "$work/ws"
# The starting file fails its checks (exit 1); any other status means no verdict was reached.
verdict() {
    local status=0
    "$concur" verify hello_concur >"$work/verify.txt" 2>&1 || status=$?
    if ((status != 0 && status != 1)); then
        echo "first-run: verify exited $status without a verdict:" >&2
        cat "$work/verify.txt" >&2
        exit 1
    fi
}
step=$(now)
verdict
first=$(since "$step")

# A change of code, not a comment: concur reuses a verdict when the tokens are unchanged.
echo "fn _an_edit() {}" >>exercises/00_intro/hello_concur.rs
step=$(now)
verdict
again=$(since "$step")
total=$(since "$start")

cat <<TABLE
| step (fresh clone, $(nproc) cores) | time |
|---|---|
| \`cargo install --path .\` (release build of concur) | $install |
| \`concur init\` | $init |
| first \`concur verify hello_concur\` (exercise dependencies built) | $first |
| the next verify after an edit | $again |
| **from clone to first verdict** | **$total** |
TABLE
