#!/usr/bin/env bash
# Packaging check for CI: build the one-folder bundle, copy it to a fresh temp folder (as onto a
# USB stick) and run its --selftest from another working directory. Prints the bundle size and
# how long it all took; exits non-zero if the build or the self-test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
for candidate in .venv/bin/python .venv/Scripts/python.exe; do
    if [ -x "$candidate" ]; then PY=${PY:-$candidate}; fi
done
"${PY:-python3}" packaging/build.py --ci "$@"
