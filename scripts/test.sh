#!/usr/bin/env bash
# Builds and runs every test: the normal build, then the ASan + UBSan build.
# TRUSTRULES_NO_SANITIZE=1 skips the sanitizer pass for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
if [ "${TRUSTRULES_NO_SANITIZE:-0}" != 1 ]; then
  bash scripts/setup.sh --sanitize
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)"
fi
