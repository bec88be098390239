#!/usr/bin/env bash
# Installs whatever Debian packages are missing, then configures and builds.
#   scripts/setup.sh                 -> build/            (RelWithDebInfo)
#   scripts/setup.sh --sanitize      -> build-sanitize/   (ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the HTML report's tests open it headless (tests/html_report_test.cc).
packages=(g++ cmake make pkg-config tao-pegtl-dev libfmt-dev catch2 liblua5.4-dev
          libsqlite3-dev libcli11-dev nlohmann-json3-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dir=build
# TRUSTRULES_WERROR=ON (as CI sets it) turns any compiler warning into an error.
flags=(-DTRUSTRULES_WERROR="${TRUSTRULES_WERROR:-OFF}")
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-sanitize
  flags+=(-DTRUSTRULES_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
fi
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
