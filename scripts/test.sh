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

# OpenLink Virtuoso, the second SPARQL server the server tests run on (tests/test_server.py).
# The tests start their own virtuoso-t on a free loopback port with a temporary database; the
# package's own service is never used, so it is not started (policy-rc.d) and its postinst asks
# nothing (noninteractive: the dba password stays the package default, on a database the tests
# never open).
if ! command -v virtuoso-t >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    POLICY=/usr/sbin/policy-rc.d
    ADDED_POLICY=""
    if [ ! -e "$POLICY" ]; then
      printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null && $SUDO chmod +x "$POLICY"
      ADDED_POLICY=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq virtuoso-opensource >/dev/null
    if [ -n "$ADDED_POLICY" ]; then $SUDO rm -f "$POLICY"; fi
  else
    echo "warning: no apt-get; install virtuoso-opensource yourself or the Virtuoso tests will be skipped" >&2
  fi
fi

.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy                 # types on src/ (configured in pyproject.toml)
.venv/bin/lint-imports         # the layers: no stage imports a stage above it
# Two workers (pytest-xdist): the suite waits on subprocesses, servers and the disk as much as it
# computes, so two processes on two cores take it from about 10.5 minutes to about 4.5.
exec .venv/bin/python -m pytest -q -n 2 "$@"
