#!/usr/bin/env bash
# Big and hostile inputs: each is put into a copy of the test fixture and built
# with the release binary (no search); prints the input's size, the build's
# outcome, its wall time and its peak memory (GNU time).
#   bash bench/hostile.sh
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x target/release/passerelle ] || cargo build --release --locked
bin="$PWD/target/release/passerelle"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r tests/fixtures/valid "$tmp/kit"
sed -i "s|../../../themes/default|$PWD/themes/default|" "$tmp/kit/toolkit.yaml"
page="$tmp/kit/content/en/guidance/hostile.md"

run() {
  local name=$1 file=$2
  local size
  size=$(stat -c %s "$file")
  local out
  out=$( { /usr/bin/time -f '%e %M' "$bin" build --root "$tmp/kit" --no-search --output "$tmp/site" --quiet >/dev/null 2>"$tmp/err"; echo "exit=$?"; } 2>&1 )
  local status="${out##*exit=}"
  local tm
  tm=$(tail -1 "$tmp/err")
  printf '%-34s %10s bytes  exit %s  %6s s  %6s MiB\n' "$name" "$size" "$status" "${tm% *}" "$(( ${tm#* } / 1024 ))"
  grep -m1 -E '^error' "$tmp/err" | cut -c1-150
}

python3 - "$page" 50m <<'PY'
import sys, random
random.seed(1)
w = "peer support group session newcomer facilitator listening safety trust culture".split()
out, size, i = ["---\ntitle: Big\n---\n\n"], 0, 0
while size < 50_000_000:
    p = (f"## Part {i}\n\n" if i % 20 == 0 else "") + " ".join(random.choice(w) for _ in range(80)) + ".\n\n"
    out.append(p); size += len(p); i += 1
open(sys.argv[1], "w").write("".join(out))
PY
run "a 50 MB page" "$page"
python3 -c "import sys; open(sys.argv[1],'w').write('---\ntitle: Headings\n---\n\n'+''.join(f'## Heading {i}\n\ntext {i}\n\n' for i in range(100_000)))" "$page"
run "100,000 headings on one page" "$page"
python3 -c "import sys; open(sys.argv[1],'w').write('---\ntitle: Line\n---\n\n'+'word '*2_000_000+'\n')" "$page"
run "a 10 MB single line" "$page"
python3 -c "import sys; open(sys.argv[1],'w').write('---\ntitle: Deep\n---\n\n'+'- '*10_000+'x\n')" "$page"
run "a list nested 10,000 deep" "$page"
python3 -c "import sys; open(sys.argv[1],'w').write('---\ntitle: Deep\n---\n\n'+'> '*10_000+'x\n')" "$page"
run "quotes nested 10,000 deep" "$page"
rm -f "$page"
python3 - "$tmp/kit/data/glossary.yaml" <<'PY'
import sys
s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
for i in range(1, 10):
    n, p = chr(97 + i), chr(96 + i)
    s += f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n"
open(sys.argv[1], "w").write(s)
PY
run "a YAML alias bomb (billion laughs)" "$tmp/kit/data/glossary.yaml"
