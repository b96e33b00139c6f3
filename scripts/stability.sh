#!/usr/bin/env bash
# Do the reference solutions pass every check, every time, on a busy machine?
#
# Usage: scripts/stability.sh [ROUNDS] [TOPIC...]   (default: 20 rounds, every topic folder)
#   e.g. scripts/stability.sh 5 02_queues 03_parallel
#
# Copies the course to a temporary folder, puts each solution in place of its exercise,
# keeps two CPU hogs (`yes > /dev/null`) running, and runs `concur verify` on every
# exercise of the chosen topics ROUNDS times. Prints each check that failed in some round
# (every check with STABILITY_ALL=1) with how many rounds it failed, then the first message
# of each failure (all of them are kept in the log it names), so the end of the output says
# what went wrong. The goal is "false failures: 0"; the exit status is 1 otherwise.
#
# Then, still under load and with RAYON_NUM_THREADS=16 (so a verdict that depends on the core
# count shows up), every wrong variant must fail exactly its checks and every correct
# alternative must pass (the two tests of tests/course.rs), once. STABILITY_STAND_INS=0 skips
# that phase; it is skipped too when topics are named or another course is tested.
#
# STABILITY_HOGS=N keeps N busy processes instead of two (a slower or busier machine);
# STABILITY_COURSE=DIR tests another course folder (default: this repository's course);
# STABILITY_LOG=FILE names the log (default: target/tmp/stability.log).
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE="$(cd "${STABILITY_COURSE:-.}" && pwd)"

ROUNDS="${1:-20}"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ROUNDS] [TOPIC...]" >&2; exit 2; }
shift || true
TOPICS=("$@")

cargo build --release --quiet
CONCUR="$PWD/target/release/concur"
export CONCUR_TARGET_DIR="$PWD/target/tmp/concur-exercises"
export NO_COLOR=1

WORK="$(mktemp -d)"
HOGS=()
cleanup() {
    for pid in "${HOGS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

COURSE="$WORK/course"
mkdir -p "$COURSE/tests"
cp -r "$SOURCE"/{info.toml,exercises,solutions} "$COURSE/"
cp -r "$SOURCE/tests/hidden" "$COURSE/tests/"

# (name, dir) of every exercise, in course order: `name` comes before `dir` in each table.
mapfile -t ALL < <(awk -F'"' '/^name *=/ { name = $2 } /^dir *=/ { print name " " $2 }' "$SOURCE/info.toml")
NAMES=()
for entry in "${ALL[@]}"; do
    read -r name dir <<<"$entry"
    if ((${#TOPICS[@]})); then
        wanted=0
        for topic in "${TOPICS[@]}"; do [[ "${topic%/}" == "$dir" ]] && wanted=1; done
        ((wanted)) || continue
    fi
    cp "$SOURCE/solutions/$dir/$name.rs" "$COURSE/exercises/$dir/$name.rs"
    NAMES+=("$name")
done
((${#NAMES[@]})) || { echo "no exercise in topic(s): ${TOPICS[*]}" >&2; exit 2; }

# Warm up (compile everything once) before the machine gets busy.
"$CONCUR" --course "$COURSE" verify "${NAMES[@]}" >/dev/null || true

HOG_COUNT="${STABILITY_HOGS:-2}"
[[ "$HOG_COUNT" =~ ^[0-9]+$ ]] || { echo "STABILITY_HOGS must be a number" >&2; exit 2; }
for _ in $(seq "$HOG_COUNT"); do yes >/dev/null & HOGS+=("$!"); done

LOG="${STABILITY_LOG:-target/tmp/stability.log}"
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
TALLY="$WORK/tally"
: >"$TALLY"
echo "stability: $ROUNDS rounds of ${#NAMES[@]} exercises (${TOPICS[*]:-all topics}), $HOG_COUNT busy processes"
for round in $(seq "$ROUNDS"); do
    out="$WORK/round.txt"
    "$CONCUR" --course "$COURSE" verify "${NAMES[@]}" >"$out" 2>&1 || true
    # Exercise lines start in column 0, check lines are indented by 4, messages by 8. An
    # exercise that failed before any check ran (a compile error, say) has no check lines.
    awk -v round="$round" -v logfile="$LOG" '
        function close_exercise() { if (bad && checks == 0) print ex, "(exercise)", "fail" }
        /^(✓|✗) / {
            close_exercise()
            ex = $2; checks = 0; bad = ($1 == "✗")
            if (bad) print "round " round ": " $0 >> logfile
            next
        }
        /^    (✓|✗) / {
            checks++
            print ex, $2, ($1 == "✓" ? "pass" : "fail")
            if ($1 == "✗") { getline msg; print "round " round ": " ex "/" $2 ":" msg >> logfile }
            next
        }
        END { close_exercise() }
    ' "$out" >>"$TALLY"
    if ! grep -qE "^(✓|✗) " "$out"; then
        echo "round $round: concur printed no verdict:" >>"$LOG"; cat "$out" >>"$LOG"
        echo "(concur) (no-verdict) fail" >>"$TALLY"
    fi
    printf '.'
done
echo

# The table lists the checks that failed at least once (every check with STABILITY_ALL=1),
# then the messages, so that the end of the output says what went wrong.
awk -v rounds="$ROUNDS" -v all="${STABILITY_ALL:-0}" '
    { key = $1 "  " $2; if (!(key in seen)) { seen[key] = 1; order[n++] = key }
      if ($3 == "fail") failed[key]++ }
    END {
        for (i = 0; i < n; i++) {
            k = order[i]; split(k, parts, "  ")
            if (all == 1 || failed[k] > 0)
                printf "  %-22s %-50s %d/%d\n", parts[1], parts[2], failed[k] + 0, rounds
            total += failed[k]
        }
        printf "%d checks, %d rounds; false failures: %d\n", n, rounds, total
        exit(total > 0)
    }
' "$TALLY" && status=0 || status=1
if ((status != 0)); then
    echo "failure messages (all of them in $LOG):"
    head -c 6000 "$LOG" | cut -c1-400
fi

if ((${#TOPICS[@]} == 0)) && [[ -z "${STABILITY_COURSE:-}" && "${STABILITY_STAND_INS:-1}" != 0 ]]; then
    echo "wrong variants and correct alternatives, RAYON_NUM_THREADS=16, 2 busy processes"
    if RAYON_NUM_THREADS=16 cargo test --quiet --test course -- --exact \
        every_wrong_variant_fails_exactly_its_expected_checks \
        every_correct_alternative_passes_every_check >>"$LOG" 2>&1; then
        echo "variants and alternatives: every verdict as expected"
    else
        echo "variants and alternatives: a verdict changed under load or with 16 threads (see $LOG)"
        status=1
    fi
fi
exit "$status"
