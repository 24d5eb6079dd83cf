#!/usr/bin/env bash
# The preview under load (wrk, 50 connections, 30 s, 30 edits landing) and its
# memory after 1,000 rebuilds. Installs wrk from Debian's packages if missing.
#   bash bench/serve-load.sh [ROOT]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ -x target/release/passerelle ] || cargo build --release --locked
python3 bench/serve-load.py "$@"
