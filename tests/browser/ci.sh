#!/usr/bin/env bash
# Browser and HTML checks of the built site, for CI. Installs what is missing
# (Debian's chromium, a Java runtime, the pinned npm packages), then runs the
# Nu HTML Checker and the real-browser suite against SITE_DIR (default: the
# site/ folder at the repository root, which must already be built).
# Runs both even if the first fails; exits non-zero if either failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export SITE_DIR="${SITE_DIR:-$here/../../site}"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "ci: installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null || exit 1
fi

# .npmrc sets ignore-scripts: vnu-jar's install script would try to download a Java.
npm ci --no-audit --no-fund || exit 1

html_status=0
bash validate-html.sh || html_status=$?

browser_status=0
node run.mjs | tee /tmp/passerelle-browser.log || browser_status=$?

search_status=0
node search.mjs | tee /tmp/passerelle-search.log || search_status=$?

# One closing line for all: the browser checks plus one for the HTML checker.
line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' /tmp/passerelle-browser.log | tail -1)
p=$(echo "$line" | sed -E 's/^browser: ([0-9]+) passed.*/\1/'); p=${p:-0}
f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/'); f=${f:-1}
if [ "$html_status" -eq 0 ]; then p=$((p + 1)); else f=$((f + 1)); fi
sp=$(sed -nE 's/^search: ([0-9]+) passed, ([0-9]+) failed$/\1/p' /tmp/passerelle-search.log); sp=${sp:-0}
sf=$(sed -nE 's/^search: ([0-9]+) passed, ([0-9]+) failed$/\2/p' /tmp/passerelle-search.log); sf=${sf:-1}
p=$((p + sp)); f=$((f + sf))
echo "checks: $p passed, $f failed"
[ "$html_status" -eq 0 ] && [ "$browser_status" -eq 0 ] && [ "$search_status" -eq 0 ]
