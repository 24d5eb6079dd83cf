#!/usr/bin/env bash
# Limits that keep the code easy to find one's way in: no Rust source file of
# ours over 600 lines (vendored crates left out). (Functions over 100 lines,
# missing docs and unreachable `pub` are clippy and compiler lints, denied by
# `cargo clippy -- -D warnings`.)
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r f; do
  n=$(wc -l < "$f")
  if [ "$n" -gt 600 ]; then
    echo "limits: $f has $n lines (at most 600): split it at a seam"
    status=1
  fi
done < <(git ls-files '*.rs' ':!vendor')
longest=$(git ls-files '*.rs' ':!vendor' | xargs wc -l | sort -n | grep -v ' total$' | tail -1)
echo "limits: longest Rust file: $longest"
exit $status
