#!/usr/bin/env bash
# Browser and HTML checks of the built site, for CI. Installs what is missing
# (Debian's chromium, a Java runtime, the pinned npm packages), then runs the
# Nu HTML Checker and the real-browser suite against SITE_DIR (default: the
# site/ folder at the repository root, which must already be built).
# Also the figures the theme draws (figures.mjs), right-to-left pages and six
# languages on a phone (rtl.mjs), the offline copy from disk
# (offline.mjs) and Lighthouse SEO
# (lighthouse.mjs). Runs every part even if one fails; exits non-zero if any failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export SITE_DIR="${SITE_DIR:-$here/../../site}"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Arabic script (and the other scripts of Noto's core set) for the right-to-left pages.
[ -e /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || need_apt+=(fonts-noto-core)
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

figures_status=0
node figures.mjs | tee /tmp/passerelle-figures.log || figures_status=$?

rtl_status=0
PASSERELLE_BIN="${PASSERELLE_BIN:-$here/../../target/release/passerelle}" TOOLKIT_ROOT="${TOOLKIT_ROOT:-$here/../..}" \
  node rtl.mjs | tee /tmp/passerelle-rtl.log || rtl_status=$?

# The offline copy as a reader gets it: the site's zip, unzipped, opened from disk.
offline_status=0
offline_dir="$(mktemp -d)"
if python3 -m zipfile -e "$SITE_DIR/downloads/toolkit-offline.zip" "$offline_dir"; then
  OFFLINE_DIR="$offline_dir/toolkit-offline" node offline.mjs | tee /tmp/passerelle-offline.log || offline_status=$?
else
  echo "offline: 0 passed, 1 failed" | tee /tmp/passerelle-offline.log
  offline_status=1
fi
rm -rf "$offline_dir"

# Lighthouse's SEO category on a build for a full address (a local server's).
lighthouse_status=0
PASSERELLE_BIN="${PASSERELLE_BIN:-$here/../../target/release/passerelle}" TOOLKIT_ROOT="${TOOLKIT_ROOT:-$here/../..}" \
  node lighthouse.mjs | tee /tmp/passerelle-lighthouse.log || lighthouse_status=$?

# One closing line for all: the browser checks plus one for the HTML checker.
line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' /tmp/passerelle-browser.log | tail -1)
p=$(echo "$line" | sed -E 's/^browser: ([0-9]+) passed.*/\1/'); p=${p:-0}
f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/'); f=${f:-1}
if [ "$html_status" -eq 0 ]; then p=$((p + 1)); else f=$((f + 1)); fi
sp=$(sed -nE 's/^search: ([0-9]+) passed, ([0-9]+) failed$/\1/p' /tmp/passerelle-search.log); sp=${sp:-0}
sf=$(sed -nE 's/^search: ([0-9]+) passed, ([0-9]+) failed$/\2/p' /tmp/passerelle-search.log); sf=${sf:-1}
p=$((p + sp)); f=$((f + sf))
op=$(sed -nE 's/^offline: ([0-9]+) passed, ([0-9]+) failed$/\1/p' /tmp/passerelle-offline.log); op=${op:-0}
of=$(sed -nE 's/^offline: ([0-9]+) passed, ([0-9]+) failed$/\2/p' /tmp/passerelle-offline.log); of=${of:-1}
p=$((p + op)); f=$((f + of))
fp=$(sed -nE 's/^figures: ([0-9]+) passed, ([0-9]+) failed$/\1/p' /tmp/passerelle-figures.log); fp=${fp:-0}
ff=$(sed -nE 's/^figures: ([0-9]+) passed, ([0-9]+) failed$/\2/p' /tmp/passerelle-figures.log); ff=${ff:-1}
p=$((p + fp)); f=$((f + ff))
rp=$(sed -nE 's/^rtl: ([0-9]+) passed, ([0-9]+) failed$/\1/p' /tmp/passerelle-rtl.log); rp=${rp:-0}
rf=$(sed -nE 's/^rtl: ([0-9]+) passed, ([0-9]+) failed$/\2/p' /tmp/passerelle-rtl.log); rf=${rf:-1}
p=$((p + rp)); f=$((f + rf))
lp=$(sed -nE 's/^lighthouse: ([0-9]+) passed, ([0-9]+) failed$/\1/p' /tmp/passerelle-lighthouse.log); lp=${lp:-0}
lf=$(sed -nE 's/^lighthouse: ([0-9]+) passed, ([0-9]+) failed$/\2/p' /tmp/passerelle-lighthouse.log); lf=${lf:-1}
p=$((p + lp)); f=$((f + lf))
echo "checks: $p passed, $f failed"
[ "$html_status" -eq 0 ] && [ "$browser_status" -eq 0 ] && [ "$search_status" -eq 0 ] && [ "$figures_status" -eq 0 ] && [ "$rtl_status" -eq 0 ] && [ "$offline_status" -eq 0 ] && [ "$lighthouse_status" -eq 0 ]
