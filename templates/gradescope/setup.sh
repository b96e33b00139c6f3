#!/usr/bin/env bash
# Gradescope autograder setup: runs once when the autograder image is built.
# The autograder zip holds this file, run_autograder, and the course repository in course/
# (the concur repository, or your own course beside a copy of concur).
set -euo pipefail

apt-get update -qq
apt-get install -y -qq build-essential curl git python3 >/dev/null

# The Rust toolchain, for building concur and the learners' code.
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
source "$HOME/.cargo/env"

cd /autograder/source/course
cargo build --release --locked
# Build the exercise dependencies now, once, instead of in every learner's run: grading the
# reference solutions also proves the course is sound on this image.
CONCUR_TARGET_DIR=/autograder/exercise-target ./target/release/concur verify --solutions --format human >/dev/null
