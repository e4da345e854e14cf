#!/usr/bin/env bash
# Builds arcrelay into BUILD_DIR (default build/), Release, warnings as errors.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} \
  -DARCRELAY_WERROR=ON ${CMAKE_EXTRA:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
