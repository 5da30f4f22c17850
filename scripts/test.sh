#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run it.
# Used by the README's test command and by .ci/run, so both stay the same.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'

# Headless Chromium for the HTML report's browser test (Debian's package; Playwright drives it).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: no apt-get; install Chromium yourself or the browser test will be skipped" >&2
  fi
fi

.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy                 # types on src/ (configured in pyproject.toml)
.venv/bin/lint-imports         # the layers: no stage imports a stage above it
exec .venv/bin/python -m pytest -q "$@"
