#!/usr/bin/env bash
# Builds and runs every test through CTest.
#   scripts/test.sh              the normal build (what CI runs)
#   scripts/test.sh --sanitize   also the ASan + UBSan build (build-sanitize/)
# A per-test timeout keeps a hung test from hanging the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
if [ "${1:-}" = "--sanitize" ]; then
  bash scripts/setup.sh --sanitize
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" --timeout 600
fi
