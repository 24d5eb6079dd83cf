#!/usr/bin/env bash
# Crash safety, 100 times: a release build of the real toolkit, search included,
# killed with SIGKILL at a random moment, then checked (every file its old or its
# new version) and repaired by the next build (byte for byte a clean build).
#   bash bench/crash.sh [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
CRASH_TRIALS="${1:-100}" CRASH_SEARCH=1 cargo test --release --locked --test testsuite \
  crash:: -- --nocapture 2>&1 | grep -E '^crash trials|test result|panicked|neither|repair'
