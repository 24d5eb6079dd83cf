#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 300) with libFuzzer, through
# `cargo +nightly fuzz`, from seed corpora made of the toolkit's own files and the
# test fixtures, with the dictionary of our syntax (fuzz/passerelle.dict).
# A crash is copied to fuzz/regressions/<target>/, which `cargo test` replays on
# the stable toolchain. Prints, per target: executions, seconds, crashes.
#
#   bash bench/fuzz.sh 300            # every target, 5 minutes each
#   bash bench/fuzz.sh 60 page        # one target
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(page settings data ui_strings template request_path)

command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz

# Seed corpora: real files of the kind each target stands for.
seed() {
  local target=$1; shift
  local dir="fuzz/corpus/$target"
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
  done
}
seed page $(find content tests/fixtures -name '*.md' | head -400)
seed settings toolkit.yaml $(find tests/fixtures -name toolkit.yaml)
for f in $(find data tests/fixtures -path '*data/*.yaml'); do
  # The first byte picks the data file (see passerelle::fuzzing::Target::Data).
  case "$(basename "$f")" in
    glossary.yaml) b='\x00' ;; sources.yaml) b='\x01' ;; topics.yaml) b='\x02' ;; *) b='\x03' ;;
  esac
  mkdir -p fuzz/corpus/data
  { printf "$b"; cat "$f"; } > "fuzz/corpus/data/$(echo "$f" | tr '/' '_')"
done
seed ui_strings themes/default/i18n/*.yaml $(find tests/fixtures -path '*i18n/*.yaml')
seed template themes/default/templates/*.html
mkdir -p fuzz/corpus/request_path
printf '/kit/en/' > fuzz/corpus/request_path/a
printf '/kit/fr/programme/s%%C3%%A9ance-01/' > fuzz/corpus/request_path/b
printf '/kit/../etc/passwd' > fuzz/corpus/request_path/c

printf '%-14s %10s %8s %8s\n' target executions seconds crashes
for t in "${targets[@]}"; do
  log="fuzz/$t.log"
  mkdir -p "fuzz/artifacts/$t"
  # -rss_limit_mb: a build that needs more than 2 GiB for a small input is a bug too.
  # No AddressSanitizer (the code is safe Rust; the fuzzer runs several times
  # faster without it), but with debug assertions, so an overflow is a crash.
  (cd fuzz && cargo +nightly fuzz run --sanitizer none --debug-assertions "$t" "corpus/$t" -- \
    -dict=passerelle.dict -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=65536 -timeout=20 -print_final_stats=1) > "$log" 2>&1
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
  crashes=0
  for a in fuzz/artifacts/"$t"/*; do
    [ -f "$a" ] || continue
    crashes=$((crashes + 1))
    mkdir -p "fuzz/regressions/$t"
    cp "$a" "fuzz/regressions/$t/$(basename "$a")"
  done
  printf '%-14s %10s %8s %8s\n' "$t" "${execs:-?}" "$seconds" "$crashes"
done
