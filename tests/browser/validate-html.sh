#!/usr/bin/env bash
# Validates every HTML page of the built site with the Nu HTML Checker (vnu.jar
# from the vnu-jar npm package) on the machine's Java. Exits non-zero on any
# error. Usage: SITE_DIR=../../site bash validate-html.sh   (or pass the folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
site="${1:-${SITE_DIR:-$here/../../site}}"
site="$(cd "$site" && pwd)"
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"

if [ ! -f "$jar" ]; then
  echo "validate-html: $jar missing: run 'npm ci' in $here first" >&2
  exit 2
fi
if ! command -v java >/dev/null 2>&1; then
  echo "validate-html: java not found, installing default-jre-headless" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi

count=$(find "$site" -name '*.html' | wc -l)
echo "validate-html: checking $count HTML files in $site"
if java -Xss8m -jar "$jar" --errors-only --skip-non-html "$site"; then
  echo "validate-html: no errors"
  echo "html: 1 passed, 0 failed"
else
  status=$?
  echo "validate-html: the Nu HTML Checker found errors (above)" >&2
  echo "html: 0 passed, 1 failed"
  exit "$status"
fi
