#!/usr/bin/env bash
# Build-speed benchmark: Passerelle against Hugo on the same synthetic bilingual
# corpus, and Passerelle on the real toolkit. See bench/README.md.
#
#   bash bench/run.sh [SIZE…]        sizes in pages per language (default 500 2000 10000)
#
# Environment: RUNS (timed runs per build, default 5), SEARCH_MAX (largest size
# measured with search, default 10000), BENCH_DIR (work folder,
# default a new folder under /tmp, kept at the end), SEED (default 1), OUT_DIR
# (where the builds write, default a folder in /dev/shm; ON_DISK=1 writes into the
# work folder instead).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(500 2000 10000)
RUNS="${RUNS:-5}"
SEED="${SEED:-1}"
WORK="${BENCH_DIR:-$(mktemp -d /tmp/passerelle-bench.XXXXXX)}"
mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
# The builds write to memory (tmpfs) by default: on some virtual disks, deleting
# and writing thousands of files again and again gets slower with every run,
# whichever tool writes them, and that would be measured instead of the tools.
if [ -n "${OUT_DIR:-}" ]; then
  OUT="$OUT_DIR"
elif [ "${ON_DISK:-0}" != 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  OUT="$(mktemp -d /dev/shm/passerelle-bench-out.XXXXXX)"
  trap 'rm -rf "$OUT"' EXIT
else
  OUT="$WORK/out"
fi
mkdir -p "$OUT"
: > "$RESULTS"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Tools: Hugo and GNU time from Debian's packages when missing.
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# The Pagefind command-line tool, from PyPI, in a virtual environment of the work
# folder: Hugo users index their site with it after Hugo.
if [ ! -x "$WORK/venv/bin/python" ]; then
  echo "== installing pagefind[bin] from PyPI into $WORK/venv"
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet 'pagefind[bin]'
fi
PAGEFIND="$("$WORK/venv/bin/python" -c 'import os, pagefind_bin; print(os.path.join(os.path.dirname(pagefind_bin.__file__), "pagefind"))')"

echo "== machine"
echo "cores: $(nproc)"
grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: /cpu: /' || true
free -h | awk '/^Mem:/ {print "memory: " $2}'
hugo version
echo "pagefind: $("$PAGEFIND" --version)"
echo "passerelle: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- src Cargo.toml 2>/dev/null || echo ' (with uncommitted changes in src/)')"
echo "work folder: $WORK"
echo "output folder: $OUT ($(df -T "$OUT" | awk 'NR==2 {print $2}'))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the times)"

echo "== building the release binary"
(cd "$REPO" && cargo build --release --locked -p passerelle -p passerelle-corpus)
# Copies, so that a build in the repository during the benchmark changes nothing.
mkdir -p "$WORK/bin"
cp "$REPO/target/release/passerelle" "$REPO/target/release/passerelle-corpus" "$WORK/bin/"
PASSERELLE="$WORK/bin/passerelle"
CORPUS="$WORK/bin/passerelle-corpus"

# measure SIZE TOOL RUN COMMAND…: run COMMAND under /usr/bin/time -v, append a line
# to the results. Before it, `sync` writes back what earlier runs wrote and deleted,
# so that no run pays (in kernel time) for the previous one's files.
measure() {
  local size=$1 tool=$2 run=$3
  shift 3
  local t0 t1
  sync
  t0=$(date +%s%N)
  if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/output.txt" 2>&1; then
    echo "FAILED: $*" >&2
    cat "$WORK/output.txt" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  python3 "$BENCH/stats.py" record "$WORK/time.txt" "$size" "$tool" "$run" "$((t1 - t0))" >>"$RESULTS"
}

for n in "${SIZES[@]}"; do
  p="$WORK/passerelle-$n"
  h="$WORK/hugo-$n"
  po="$OUT/passerelle-$n"
  ho="$OUT/hugo-$n"
  echo
  echo "== $n pages per language"
  rm -rf "$p" "$h"
  "$CORPUS" "$p" --pages "$n" --seed "$SEED" --theme "$REPO/themes/default"
  "$CORPUS" "$h" --pages "$n" --seed "$SEED" --hugo --theme "$REPO/themes/default"
  du -sh "$p/content" | awk '{print "content: " $1 " per layout"}'

  # Warm-up (file cache, first-run effects), not recorded.
  "$PASSERELLE" build --root "$p" --output "$po" --quiet --no-search
  hugo --quiet -s "$h" -d "$ho"

  # Full builds, alternating, each into an empty output folder: without search
  # against Hugo; the default build (search on) against Hugo then Pagefind's
  # command-line tool on Hugo's output (the same root element, `main`).
  with_search=0
  [ "$n" -le "${SEARCH_MAX:-10000}" ] && with_search=1
  for i in $(seq 1 "$RUNS"); do
    rm -rf "$po" "$p/.passerelle-cache"
    measure "$n" passerelle "$i" "$PASSERELLE" build --root "$p" --output "$po" --quiet --no-search
    rm -rf "$ho" "$h/resources"
    measure "$n" hugo "$i" hugo --quiet -s "$h" -d "$ho"
    if [ "$with_search" = 1 ]; then
      rm -rf "$po" "$p/.passerelle-cache"
      measure "$n" "passerelle (default)" "$i" "$PASSERELLE" build --root "$p" --output "$po" --quiet
      rm -rf "$ho" "$h/resources"
      measure "$n" "hugo then pagefind" "$i" bash -c 'hugo --quiet -s "$1" -d "$2" && "$3" --site "$2" --root-selector main --quiet' _ "$h" "$ho" "$PAGEFIND"
    fi
  done

  # Rebuilds through the cache folder that the last build left (as a user's next
  # build): with nothing changed, then after a one-page edit (a new sentence at
  # the end of a page, another each run).
  search_flag=()
  [ "$with_search" = 1 ] || search_flag=(--no-search)
  for i in $(seq 1 "$RUNS"); do
    measure "$n" "passerelle (no change)" "$i" "$PASSERELLE" build --root "$p" --output "$po" --quiet "${search_flag[@]}"
  done
  for i in $(seq 1 "$RUNS"); do
    printf '\nEdited for the benchmark, run %s.\n' "$i" >>"$p/content/en/section-001/page-0001.md"
    measure "$n" "passerelle (one-page edit)" "$i" "$PASSERELLE" build --root "$p" --output "$po" --quiet "${search_flag[@]}"
  done

  echo "files: passerelle $(find "$po" -type f | wc -l), hugo $(find "$ho" -type f | wc -l);" \
    "output: passerelle $(du -sh "$po" | cut -f1), hugo $(du -sh "$ho" | cut -f1)"
  echo "phases of one full build, search off (--verbose, not timed above):"
  rm -rf "$po"
  sync
  "$PASSERELLE" build --root "$p" --output "$po" --verbose --no-search 2>&1 | grep -E '^\s+[a-z]+\s+[0-9.]+ m?s' || true
  if [ ${#search_flag[@]} -eq 0 ]; then
    echo "phases of one default build from an empty cache (--verbose, not timed above):"
    rm -rf "$po" "$p/.passerelle-cache"
    sync
    "$PASSERELLE" build --root "$p" --output "$po" --verbose 2>&1 | grep -E '^\s+[a-z]+\s+[0-9.]+ m?s' || true
  fi
  echo
  echo "$n pages per language ($((2 * n)) content pages; pages/s counts those), $(nproc) cores:"
  python3 "$BENCH/stats.py" table "$RESULTS" "$n" "$((2 * n))"
  rm -rf "$po" "$ho"
done

echo
# A copy of the toolkit (its settings, content, data, theme and static files), so
# that the one-page edits do not touch the repository.
TK="$WORK/toolkit"
rm -rf "$TK"
mkdir -p "$TK"
for d in toolkit.yaml content data themes static templates i18n assets; do
  [ -e "$REPO/$d" ] && cp -r "$REPO/$d" "$TK/"
done
echo "== the real toolkit (a copy in $TK), builds into $OUT/toolkit-site"
"$PASSERELLE" build --root "$TK" --output "$OUT/toolkit-site" --quiet
for i in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/toolkit-site" "$TK/.passerelle-cache"
  measure toolkit passerelle "$i" "$PASSERELLE" build --root "$TK" --output "$OUT/toolkit-site" --quiet --no-search
  rm -rf "$OUT/toolkit-site" "$TK/.passerelle-cache"
  measure toolkit "passerelle (default)" "$i" "$PASSERELLE" build --root "$TK" --output "$OUT/toolkit-site" --quiet
done
for i in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/toolkit-site"
  measure toolkit "passerelle (default, empty output, cache kept)" "$i" "$PASSERELLE" build --root "$TK" --output "$OUT/toolkit-site" --quiet
done
for i in $(seq 1 "$RUNS"); do
  measure toolkit "passerelle (no change)" "$i" "$PASSERELLE" build --root "$TK" --output "$OUT/toolkit-site" --quiet
done
page="$TK/content/en/guidance/facilitator-self-care.md"
[ -f "$page" ] || page="$(find "$TK/content/en" -name '*.md' ! -name '_index.md' | sort | head -1)"
for i in $(seq 1 "$RUNS"); do
  printf '\nEdited for the benchmark, run %s.\n' "$i" >>"$page"
  measure toolkit "passerelle (one-page edit)" "$i" "$PASSERELLE" build --root "$TK" --output "$OUT/toolkit-site" --quiet
done
rm -rf "$OUT/toolkit-site"
python3 "$BENCH/stats.py" toolkit "$RESULTS"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw results: $RESULTS"
